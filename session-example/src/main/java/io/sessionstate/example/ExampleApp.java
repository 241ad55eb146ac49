package io.sessionstate.example;

import io.sessionstate.CookieOptions;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.ValueCodec;
import io.sessionstate.kryo.KryoValueCodec;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.postgresql.PostgresSessionStore;
import io.sessionstate.redis.RedisSessionStore;
import io.sessionstate.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The sessionstate demo: a small Servlet web app on embedded Jetty behind {@link SessionFilter},
 * listening on 127.0.0.1 only. Run it with {@code java -jar
 * session-example/target/session-example.jar [--port N] [--store memory|redis] [--nodes N]}.
 *
 * <p>With {@code --nodes 2} it starts two nodes on two ports that share one store and no other
 * state, as two servers behind a load balancer without sticky sessions would: a cart filled on one
 * is there on the other. Each node on Redis or PostgreSQL has its own session manager and
 * connection pool.
 *
 * <p>Cookies are signed with a key made for this process unless {@code SESSIONSTATE_SECRET} holds a
 * base64 secret of at least 32 bytes; with one, cookies also verify after a restart and on every
 * process that shares the secret (run the jar twice on two ports against one Redis).
 */
public final class ExampleApp {

  static final String USAGE =
      """
      Usage: java -jar session-example.jar [--port N] [--store memory|redis|postgresql] [--nodes N]
                                           [--redis-url URL] [--postgres-url JDBC-URL]

        --port N          port of the first node, on 127.0.0.1 (default 8080; 0 picks free ports);
                          node i listens on port + i
        --store NAME      where sessions live: memory (default), redis or postgresql
        --redis-url URL   the Redis server for --store redis (default redis://127.0.0.1:6379)
        --postgres-url U  the PostgreSQL database for --store postgresql, as a JDBC URL (default
                          jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres); the demo
                          creates its table, sessionstate_example_sessions, if it is missing
        --nodes N         how many nodes to start, 1 to 8 (default 1); they share the store
        --help            print this help

      Environment:
        SESSIONSTATE_SECRET  base64 secret of at least 32 bytes that signs the cookies;
                             without it, a key made for this process alone
      """;

  static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  static final String REDIS_APPLICATION_NAME = "sessionstate-example";
  static final String DEFAULT_POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  static final String SQL_TABLE = "sessionstate_example_sessions";
  static final int MAX_NODES = 8;
  private static final int MEMORY_STORE_BYTES = 64 << 20;

  private final List<Server> servers;
  private final List<SessionManager> managers;

  private ExampleApp(List<Server> servers, List<SessionManager> managers) {
    this.servers = servers;
    this.managers = managers;
  }

  public static void main(String[] args) {
    // Jetty's and the pool's start-up chatter would bury the one line that matters: the URL.
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    Options options;
    List<SessionManager> managers;
    try {
      options = Options.parse(args);
      if (options.help()) {
        System.out.print(USAGE);
        return;
      }
      managers = managers(options, keyRing(System.getenv("SESSIONSTATE_SECRET")));
    } catch (SessionException e) {
      System.err.println("sessionstate example: the store is unavailable: " + e.getMessage());
      System.exit(1);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("sessionstate example: " + e.getMessage());
      System.exit(2);
      return;
    }
    ExampleApp app;
    try {
      app = start(options.port(), managers);
    } catch (UncheckedIOException e) {
      System.err.println("sessionstate example: " + e.getMessage() + ": " + e.getCause());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "example-shutdown"));
    List<URI> uris = app.uris();
    for (int i = 0; i < uris.size(); i++) {
      System.out.println(
          "sessionstate example listening on "
              + uris.get(i)
              + " (store: "
              + managers.get(i).store().name()
              + (uris.size() > 1 ? ", node " + (char) ('A' + i) : "")
              + ")");
    }
  }

  /** One manager per node: a shared one over the memory store, one each over Redis. */
  static List<SessionManager> managers(Options options, Optional<KeyRing> configured) {
    // Every node must verify every other node's cookies, so they share one ring.
    KeyRing ring = configured.orElseGet(KeyRing::generate);
    List<SessionManager> managers = new ArrayList<>();
    switch (options.store()) {
      case "memory" -> {
        MemorySessionStore store =
            MemorySessionStore.builder().maximumBytes(MEMORY_STORE_BYTES).build();
        Telemetry.shared().bind(store);
        SessionManager shared = managerBuilder().store(store).keyRing(ring).build();
        for (int i = 0; i < options.nodes(); i++) {
          managers.add(shared); // in one process, the memory store is the shared store
        }
      }
      case "redis" -> {
        for (int i = 0; i < options.nodes(); i++) {
          managers.add(redisManager(options.redisUrl(), REDIS_APPLICATION_NAME, ring));
        }
      }
      case "postgresql" -> {
        try {
          for (int i = 0; i < options.nodes(); i++) {
            managers.add(postgresManager(options.postgresUrl(), SQL_TABLE, ring));
          }
        } catch (RuntimeException e) {
          managers.forEach(SessionManager::close);
          throw e;
        }
      }
      default -> throw new IllegalArgumentException("unknown store: " + options.store());
    }
    return managers;
  }

  /**
   * A manager over PostgreSQL at {@code jdbcUrl}, with its own pool and sweeper, creating {@code
   * table} if it is missing.
   *
   * @throws SessionException if the database cannot be reached or the table cannot be created
   */
  static SessionManager postgresManager(String jdbcUrl, String table, KeyRing ring) {
    PostgresSessionStore store =
        PostgresSessionStore.builder().jdbcUrl(jdbcUrl).table(table).createSchema(true).build();
    try {
      store.start();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return managerBuilder().store(store).keyRing(ring).build();
  }

  /** A manager over Redis at {@code url}, with its own connection pool. */
  static SessionManager redisManager(String url, String applicationName, KeyRing ring) {
    return managerBuilder()
        .store(RedisSessionStore.builder().uri(url).applicationName(applicationName).build())
        .keyRing(ring)
        .build();
  }

  /** Starts one node on 127.0.0.1; {@link #stop()} closes the manager too. */
  static ExampleApp start(int port, SessionManager manager) {
    return start(port, List.of(manager));
  }

  /**
   * Starts one node per manager on 127.0.0.1, node i on {@code port + i} (or on free ports when
   * {@code port} is 0); {@link #stop()} closes the managers too.
   */
  static ExampleApp start(int port, List<SessionManager> managers) {
    List<Server> servers = new ArrayList<>();
    ExampleApp app = new ExampleApp(servers, managers);
    Telemetry.shared().history().start();
    for (int i = 0; i < managers.size(); i++) {
      int nodePort = port == 0 ? 0 : port + i;
      String node = managers.size() > 1 ? "node " + (char) ('A' + i) : "node A";
      Server server = server(nodePort, managers.get(i), node);
      servers.add(server);
      try {
        server.start();
      } catch (Exception e) {
        app.stop();
        throw new UncheckedIOException(
            "cannot listen on 127.0.0.1:" + nodePort,
            e instanceof java.io.IOException io ? io : new java.io.IOException(e));
      }
    }
    return app;
  }

  private static Server server(int port, SessionManager manager, String node) {
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("example-" + node.replace(' ', '-'));
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false); // nothing for a scanner to match against advisories
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    FilterHolder filter = new FilterHolder(SessionFilter.builder(manager).build());
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    // Named, so that an error page shows no class name.
    context.addServlet(
        new ServletHolder(
            "pages",
            new DemoPages(manager.store().name(), node, manager.idleTimeout(), Telemetry.shared())),
        "/");
    context.addServlet(new ServletHolder("sessions", new SessionsPage(manager)), "/sessions/*");
    // An error page never shows an exception's text to a visitor.
    context.setErrorHandler(QuietErrors.forServlets());
    server.setErrorHandler(QuietErrors.forServer());
    server.setHandler(context);
    server.setStopTimeout(0);
    return server;
  }

  /** The codec of session attributes: Kryo, knowing the one class of the demo's own. */
  static ValueCodec codec() {
    return KryoValueCodec.builder().register(Cart.class, KryoValueCodec.FIRST_USER_ID).build();
  }

  List<URI> uris() {
    List<URI> uris = new ArrayList<>();
    for (Server server : servers) {
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      uris.add(URI.create("http://127.0.0.1:" + port + "/"));
    }
    return uris;
  }

  URI uri() {
    return uris().get(0);
  }

  void stop() {
    for (Server server : servers) {
      try {
        server.stop();
      } catch (Exception e) {
        // stopping anyway: the managers still close below
      }
    }
    Map<SessionManager, Boolean> closed = new IdentityHashMap<>();
    for (SessionManager manager : managers) {
      if (closed.put(manager, true) == null) {
        manager.close();
      }
    }
  }

  /** The manager's settings that do not depend on the store. */
  static SessionManager.Builder managerBuilder() {
    return SessionManager.builder()
        // Meters, and each request's cost for its page; blocking store calls run on an executor
        // that carries the request's cost along.
        .observer(Telemetry.shared().observer())
        .executor(Telemetry.shared().executor())
        // The cart is an object value: the filter encodes attributes with the manager's codec.
        .valueCodec(codec())
        // Secure on HTTPS only, so that the cookie also works on plain-HTTP localhost.
        .cookie(
            CookieOptions.builder()
                .securePolicy(CookieOptions.SecurePolicy.SAME_AS_REQUEST)
                .build());
  }

  /** A manager over the memory store, with the given key ring or, if none, one for this process. */
  static SessionManager memoryManager(Optional<KeyRing> keyRing) {
    MemorySessionStore store =
        MemorySessionStore.builder().maximumBytes(MEMORY_STORE_BYTES).build();
    Telemetry.shared().bind(store);
    SessionManager.Builder builder = managerBuilder().store(store);
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
  record Options(
      int port, String store, String redisUrl, String postgresUrl, int nodes, boolean help) {

    /**
     * @throws IllegalArgumentException with a message for the user if the arguments are wrong or
     *     name a store this build does not have
     */
    static Options parse(String[] args) {
      int port = 8080;
      String store = "memory";
      String redisUrl = null;
      String postgresUrl = null;
      int nodes = 1;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            return new Options(port, store, DEFAULT_REDIS_URL, DEFAULT_POSTGRES_URL, nodes, true);
          }
          case "--port" -> port = port(value(args, ++i, "--port"));
          case "--store" -> store = value(args, ++i, "--store");
          case "--redis-url" -> redisUrl = value(args, ++i, "--redis-url");
          case "--postgres-url" -> postgresUrl = value(args, ++i, "--postgres-url");
          case "--nodes" -> nodes = nodes(value(args, ++i, "--nodes"));
          default ->
              throw new IllegalArgumentException("unknown argument '" + args[i] + "': try --help");
        }
      }
      switch (store) {
        case "memory", "redis", "postgresql" -> {}
        default ->
            throw new IllegalArgumentException(
                "unknown store '" + store + "': use memory, redis or postgresql");
      }
      if (redisUrl != null && !store.equals("redis")) {
        throw new IllegalArgumentException("--redis-url needs --store redis");
      }
      if (postgresUrl != null && !store.equals("postgresql")) {
        throw new IllegalArgumentException("--postgres-url needs --store postgresql");
      }
      if (port != 0 && port + nodes - 1 > 65535) {
        throw new IllegalArgumentException(
            "--port " + port + " leaves no room for " + nodes + " nodes");
      }
      return new Options(
          port,
          store,
          redisUrl == null ? DEFAULT_REDIS_URL : redisUrl,
          postgresUrl == null ? DEFAULT_POSTGRES_URL : postgresUrl,
          nodes,
          false);
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

    private static int nodes(String value) {
      try {
        int nodes = Integer.parseInt(value);
        if (nodes >= 1 && nodes <= MAX_NODES) {
          return nodes;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new IllegalArgumentException("--nodes must be 1 to " + MAX_NODES + ": " + value);
    }
  }
}
