package io.sessionstate.example;

import com.sun.net.httpserver.HttpServer;
import io.sessionstate.CookieOptions;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.kryo.KryoValueCodec;
import io.sessionstate.memory.MemorySessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sessionstate demo: a small web app on the JDK's own HTTP server, listening on 127.0.0.1 only.
 * Run it with {@code java -jar session-example/target/session-example.jar [--port N]}.
 *
 * <p>Cookies are signed with a key made for this process unless {@code SESSIONSTATE_SECRET} holds a
 * base64 secret of at least 32 bytes; with one, cookies also verify after a restart and on every
 * node that shares the secret.
 */
public final class ExampleApp {

  static final String USAGE =
      """
      Usage: java -jar session-example.jar [--port N] [--store memory|redis|sql]

        --port N       port to listen on, on 127.0.0.1 (default 8080; 0 picks a free port)
        --store NAME   where sessions live (default memory; the only store in this build)
        --help         print this help

      Environment:
        SESSIONSTATE_SECRET  base64 secret of at least 32 bytes that signs the cookies;
                             without it, a key made for this process alone
      """;

  private static final int MEMORY_STORE_BYTES = 64 << 20;

  private final HttpServer server;
  private final ExecutorService executor;
  private final SessionManager manager;

  private ExampleApp(HttpServer server, ExecutorService executor, SessionManager manager) {
    this.server = server;
    this.executor = executor;
    this.manager = manager;
  }

  public static void main(String[] args) {
    Options options;
    SessionManager manager;
    try {
      options = Options.parse(args);
      if (options.help()) {
        System.out.print(USAGE);
        return;
      }
      manager = memoryManager(keyRing(System.getenv("SESSIONSTATE_SECRET")));
    } catch (IllegalArgumentException e) {
      System.err.println("sessionstate example: " + e.getMessage());
      System.exit(2);
      return;
    }
    ExampleApp app;
    try {
      app = start(options.port(), manager);
    } catch (UncheckedIOException e) {
      manager.close();
      System.err.println("sessionstate example: " + e.getMessage() + ": " + e.getCause());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "example-shutdown"));
    System.out.println(
        "sessionstate example listening on "
            + app.uri()
            + " (store: "
            + manager.store().name()
            + ")");
  }

  /** Starts the app on 127.0.0.1; {@link #stop()} closes the manager too. */
  static ExampleApp start(int port, SessionManager manager) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    // Several threads, since a networked store blocks the request that waits on it.
    ExecutorService executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext(
        "/", new SessionHttpHandler(manager, new DemoPages(manager.store().name())));
    server.start();
    return new ExampleApp(server, executor, manager);
  }

  URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
  }

  void stop() {
    server.stop(0);
    executor.shutdown();
    manager.close();
  }

  /** The manager's settings that do not depend on the store. */
  static SessionManager.Builder managerBuilder() {
    return SessionManager.builder()
        .valueCodec(KryoValueCodec.builder().register(Cart.class).build())
        // Secure on HTTPS only, so that the cookie also works on plain-HTTP localhost.
        .cookie(
            CookieOptions.builder()
                .securePolicy(CookieOptions.SecurePolicy.SAME_AS_REQUEST)
                .build());
  }

  /** A manager over the memory store, with the given key ring or, if none, one for this process. */
  static SessionManager memoryManager(Optional<KeyRing> keyRing) {
    SessionManager.Builder builder =
        managerBuilder()
            .store(MemorySessionStore.builder().maximumBytes(MEMORY_STORE_BYTES).build());
    keyRing.ifPresent(builder::keyRing);
    return builder.build();
  }

  /**
   * The key ring from {@code SESSIONSTATE_SECRET}, or empty if it is unset.
   *
   * @throws IllegalArgumentException if the secret is not base64 or shorter than 32 bytes; the
   *     message never shows the secret
   */
  static Optional<KeyRing> keyRing(String base64Secret) {
    if (base64Secret == null || base64Secret.isBlank()) {
      return Optional.empty();
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64Secret.strip());
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes a character of the secret: leave it out.
      throw new IllegalArgumentException("SESSIONSTATE_SECRET must be base64");
    }
    if (secret.length < KeyRing.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "SESSIONSTATE_SECRET must hold at least "
              + KeyRing.MIN_SECRET_BYTES
              + " bytes: it holds "
              + secret.length);
    }
    return Optional.of(KeyRing.builder().addKey("k1", secret).build());
  }

  /** The command line. */
  record Options(int port, String store, boolean help) {

    /**
     * @throws IllegalArgumentException with a message for the user if the arguments are wrong or
     *     name a store this build does not have
     */
    static Options parse(String[] args) {
      int port = 8080;
      String store = "memory";
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            return new Options(port, store, true);
          }
          case "--port" -> port = port(value(args, ++i, "--port"));
          case "--store" -> store = value(args, ++i, "--store");
          default ->
              throw new IllegalArgumentException("unknown argument '" + args[i] + "': try --help");
        }
      }
      if (!store.equals("memory")) {
        throw new IllegalArgumentException(
            "store '" + store + "' is not available in this build: only 'memory' is");
      }
      return new Options(port, store, false);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value: try --help");
      }
      return args[i];
    }

    private static int port(String value) {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new IllegalArgumentException("--port must be 0 to 65535: " + value);
    }
  }
}
