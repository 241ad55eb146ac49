package io.sessionstate.servlet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of the test's own on a free loopback port, so that a test can stop it or
 * freeze it without touching the shared server on 6379. Nothing is saved to disk; {@link #close()}
 * stops it and deletes its directory.
 */
final class RedisProcess implements AutoCloseable {
  private final int port;
  private final Path dir;
  private Process process;

  private RedisProcess(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server and waits until it answers {@code PING}. */
  static RedisProcess start() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisProcess redis = new RedisProcess(port, Files.createTempDirectory("sessionstate-redis-"));
    redis.process =
        new ProcessBuilder(
                List.of(
                    "redis-server",
                    "--port",
                    String.valueOf(port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    redis.dir.toString(),
                    "--save",
                    "",
                    "--appendonly",
                    "no"))
            .redirectErrorStream(true)
            .redirectOutput(redis.dir.resolve("redis.log").toFile())
            .start();
    redis.awaitPing();
    return redis;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the server (SIGKILL), as a crash would; connections are refused from then on. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server did not die");
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers. */
  void freeze() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Resumes a frozen server (SIGCONT). */
  void thaw() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " failed");
    }
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited at start; see " + dir);
      }
      try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // still starting
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING");
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      // SIGKILL ends a frozen process too.
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
