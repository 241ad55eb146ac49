package io.sessionstate.spring.boot;

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
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A {@code redis-server} (or a sentinel) of the test's own, on a free loopback port in a temporary
 * directory, so a test can give it passwords or TLS without touching the shared server on 6379.
 * Stops and deletes its directory on {@link #close()}.
 */
final class RedisProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final int port;
  private final Path dir;
  private final Process process;

  private RedisProcess(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  /**
   * Starts {@code redis-server} on a free port with nothing saved, plus {@code args}; with a
   * non-null {@code config}, that configuration file first (a sentinel's: {@code --sentinel} in
   * {@code args}). {@code ready} is polled until it holds.
   */
  static RedisProcess start(
      String config, List<String> args, java.util.function.IntPredicate ready) {
    Path dir;
    try {
      dir = Files.createTempDirectory("sessionstate-boot-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add("redis-server");
    try {
      if (config != null) {
        Path file = dir.resolve("redis.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        command.add(file.toString());
      }
      command.addAll(
          List.of(
              "--port", String.valueOf(port),
              "--bind", "127.0.0.1",
              "--dir", dir.toString(),
              "--save", "",
              "--appendonly", "no",
              "--protected-mode", "no"));
      command.addAll(args);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      RedisProcess server = new RedisProcess(port, dir, process);
      try {
        server.await("redis-server on " + port + " to be ready", () -> ready.test(port));
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      delete(dir);
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  /** Polls {@code condition} until it holds, failing with the server's log after 30 seconds. */
  void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited:\n" + log());
      }
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("timed out waiting for " + what + ":\n" + log());
  }

  String log() {
    try {
      return Files.readString(dir.resolve("redis.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delete(dir);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
