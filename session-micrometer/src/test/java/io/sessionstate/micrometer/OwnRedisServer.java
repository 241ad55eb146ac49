package io.sessionstate.micrometer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own on a free loopback port, keeping nothing on disk, so a
 * test can stop it without touching the shared server on 6379.
 */
final class OwnRedisServer implements AutoCloseable {
  final int port;
  private final Process process;

  private OwnRedisServer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /** Starts the server and waits until it accepts connections. */
  static OwnRedisServer start() {
    try {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      Path dir = Files.createTempDirectory("sessionstate-metrics-redis");
      Process process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      OwnRedisServer server = new OwnRedisServer(port, process);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        try {
          new Socket(InetAddress.getLoopbackAddress(), port).close();
          return server;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      server.close();
      throw new AssertionError("redis-server did not start on port " + port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Stops the server and waits until it is gone. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
