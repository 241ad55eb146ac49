package io.sessionstate.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of the test's own, on a free loopback port and in a temporary directory,
 * so a test can count its commands, kill it, freeze it or restart it without touching the shared
 * server on 6379. Stops and deletes its directory on {@link #close()}.
 */
final class RedisServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final int port;
  private final Path dir;
  private final List<String> leadingArgs;
  private final List<String> extraArgs;
  private Process process;

  private RedisServerProcess(int port, Path dir, List<String> leadingArgs, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.leadingArgs = List.copyOf(leadingArgs);
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts {@code redis-server} on a free port with nothing saved to disk, plus {@code extraArgs}
   * (for example {@code "--appendonly", "yes"}), and waits until it answers {@code PING}.
   */
  static RedisServerProcess start(String... extraArgs) {
    RedisServerProcess server =
        new RedisServerProcess(freePort(), tempDir(), List.of(), List.of(extraArgs));
    server.launch();
    return server;
  }

  /**
   * Starts {@code redis-server --sentinel} on a free port with {@code config} as its configuration
   * file (written to its directory, where Sentinel rewrites it as it learns the deployment).
   */
  static RedisServerProcess startSentinel(String config) {
    Path dir = tempDir();
    Path file = dir.resolve("sentinel.conf");
    try {
      Files.writeString(file, config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RedisServerProcess server =
        new RedisServerProcess(freePort(), dir, List.of(file.toString(), "--sentinel"), List.of());
    server.launch();
    return server;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sessionstate-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server process is running (it may be frozen). */
  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Whether a {@code redis-server} binary is on the PATH. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A loopback port nobody listens on, whose cluster bus port (port + 10000) is free as well. The
   * port is free when this returns; a race with another process is possible but unlikely.
   */
  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port + 10000 <= 65535 && portFree(port + 10000)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback port pair found");
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  HostAndPort hostAndPort() {
    return new HostAndPort("127.0.0.1", port);
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** The server's working directory: its log, and its append-only file when enabled. */
  Path dir() {
    return dir;
  }

  long pid() {
    return process.pid();
  }

  /** A fresh single connection for inspecting the server; the caller closes it. */
  Jedis admin() {
    return new Jedis(
        hostAndPort(),
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2000)
            .socketTimeoutMillis(5000)
            .build());
  }

  /** Kills the server with SIGKILL, as a crash would, and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server " + pid() + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the server again on the same port, directory and arguments, after {@link #kill()}. */
  void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("redis-server is still running");
    }
    launch();
  }

  // Set while restartWithoutWaiting() launches the server.
  private boolean startLoading;

  /**
   * Starts the server again after {@link #kill()} without waiting for it: it may still be loading
   * its data set when this returns, and answer {@code LOADING} meanwhile.
   */
  void restartWithoutWaiting() {
    if (process.isAlive()) {
      throw new IllegalStateException("redis-server is still running");
    }
    startLoading = true;
    try {
      launch();
    } finally {
      startLoading = false;
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers. */
  void pause() {
    signal("-STOP");
  }

  /** Resumes a server frozen by {@link #pause()} (SIGCONT). */
  void resume() {
    signal("-CONT");
  }

  /** The server's log so far, for a failed test's message. */
  String log() {
    try {
      return Files.readString(dir.resolve("redis.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      resume();
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add("redis-server");
    // A configuration file must come first.
    command.addAll(leadingArgs);
    command.addAll(
        List.of(
            "--port", String.valueOf(port),
            "--bind", "127.0.0.1",
            "--dir", dir.toString(),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "no"));
    command.addAll(extraArgs);
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start redis-server: " + command, e);
    }
    if (!startLoading) {
      awaitPing();
    }
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited at start:\n" + log());
      }
      try (Jedis jedis = admin()) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException(
        "redis-server on port " + port + " did not answer within " + START_TIMEOUT + ":\n" + log(),
        last);
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
