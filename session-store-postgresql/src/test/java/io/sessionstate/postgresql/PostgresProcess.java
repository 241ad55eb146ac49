package io.sessionstate.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, initialised into a temporary directory and listening on a
 * free loopback port, so a test can stop it with {@code -m immediate} and start it again without
 * touching the shared server. As root it runs as the {@code postgres} user, since PostgreSQL
 * refuses to run as root.
 */
final class PostgresProcess implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresProcess(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** The directory of the newest installed {@code initdb}, or empty if there is none. */
  static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(
              Comparator.comparingInt(
                  b -> {
                    try {
                      return Integer.parseInt(b.getParent().getFileName().toString());
                    } catch (NumberFormatException e) {
                      return 0;
                    }
                  }));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Initialises a cluster with trust authentication and starts it. */
  static PostgresProcess start(Path bin) {
    try {
      Path dir = Files.createTempDirectory("sessionstate-pg-");
      PostgresProcess server = new PostgresProcess(bin, dir, freePort());
      if (isRoot()) {
        run(List.of("chown", "postgres:postgres", dir.toString()));
      }
      server.runAsPostgres(
          "initdb",
          "-D",
          server.data(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync");
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** Starts the server and waits until it accepts connections. */
  void start() {
    runAsPostgres(
        "pg_ctl",
        "-D",
        data(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100",
        "start");
  }

  /**
   * Stops the server with {@code -m immediate}: every backend is killed at once, nothing is
   * checkpointed, and the next start runs crash recovery, as after a crash.
   */
  void stopImmediately() {
    runAsPostgres("pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop");
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
    try {
      runAsPostgres("pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop");
    } catch (RuntimeException e) {
      // already stopped
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  private void runAsPostgres(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(command + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
