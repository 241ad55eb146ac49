package io.sessionstate.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of the test's own, initialised by {@code mariadb-install-db} into a temporary
 * directory and listening on a free loopback port, so a test can kill it and start it again without
 * touching the shared server on 3306. It runs without grant tables: any user connects.
 */
final class MariadbProcess implements AutoCloseable {
  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
  private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

  private final Path dir;
  private final int port;
  private Process process;

  private MariadbProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB);
  }

  /** Initialises a data directory and starts the server on it. */
  static MariadbProcess launch() {
    try {
      Path dir = Files.createTempDirectory("sessionstate-mariadb-");
      MariadbProcess server = new MariadbProcess(dir, freePort());
      run(
          List.of(
              INSTALL_DB.toString(),
              "--no-defaults",
              "--datadir=" + dir.resolve("data"),
              "--user=" + System.getProperty("user.name"),
              "--auth-root-authentication-method=normal",
              "--skip-test-db"));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String jdbcUrl() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/mysql?user=root&sslMode=disable";
  }

  /** Starts the server and waits until it accepts connections. */
  void start() {
    List<String> command = new ArrayList<>();
    command.add(MARIADBD.toString());
    command.addAll(
        List.of(
            "--no-defaults",
            "--datadir=" + dir.resolve("data"),
            "--port=" + port,
            "--bind-address=127.0.0.1",
            "--socket=" + dir.resolve("mariadb.sock"),
            "--pid-file=" + dir.resolve("mariadb.pid"),
            "--skip-grant-tables",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=32M",
            "--max-connections=200"));
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--user=root");
    }
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!accepts()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("mariadbd did not start:\n" + log());
      }
      sleep(50);
    }
  }

  /**
   * Kills the server with SIGKILL: nothing is flushed or checkpointed, and the next start runs
   * InnoDB's crash recovery, as after a crash.
   */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    kill();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(command + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
