package io.sessionstate.example;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionstate.SessionObserver;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.micrometer.MemoryStoreMetrics;
import io.sessionstate.micrometer.SessionMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's one registry of meters, the per-request costs over it, and their history: shared by
 * every node of the process, as one metrics endpoint would be. Thread-safe.
 */
final class Telemetry {
  private static final Telemetry SHARED = new Telemetry();

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final RequestCosts costs = new RequestCosts(SessionMetrics.of(registry));
  private final MetricsHistory history = new MetricsHistory(registry);
  // The managers' executor for blocking store calls, as their own would be (daemon threads, no
  // queue), but carrying each request's cost collection over to the thread that makes the call.
  private final Executor executor = costs.propagating(pool());

  private Telemetry() {}

  static Telemetry shared() {
    return SHARED;
  }

  MeterRegistry registry() {
    return registry;
  }

  SessionObserver observer() {
    return costs;
  }

  RequestCosts costs() {
    return costs;
  }

  MetricsHistory history() {
    return history;
  }

  Executor executor() {
    return executor;
  }

  /** The memory store's gauges; a second memory store in the process keeps the first's. */
  void bind(MemorySessionStore store) {
    new MemoryStoreMetrics(store).bindTo(registry);
  }

  private static Executor pool() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        256,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "example-io-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The panel each page shows: the store calls its request made, and when the session expires. */
  static String costPanel(List<RequestCosts.Call> calls, Duration idleTimeout, boolean stored) {
    StringBuilder html =
        new StringBuilder("<section id=\"cost\">\n<h2>What this request cost</h2>\n");
    long nanos = 0;
    int roundTrips = 0;
    if (calls.isEmpty()) {
      html.append("<p>No store call: this request never needed the session.</p>\n");
    } else {
      html.append(
          "<table>\n<tr><th>store call</th><th>what the store sent</th><th>outcome</th>"
              + "<th>time</th><th>blob</th></tr>\n");
      for (RequestCosts.Call call : calls) {
        nanos += call.nanos();
        if (!call.store().equals("memory")) {
          roundTrips++;
        }
        html.append("<tr class=\"call\"><td>")
            .append(call.operation().tagValue())
            .append("</td><td><code>")
            .append(DemoPages.escape(RequestCosts.command(call.store(), call.operation())))
            .append("</code></td><td>")
            .append(call.outcome().tagValue())
            .append("</td><td>")
            .append(millis(call.nanos()))
            .append("</td><td>")
            .append(call.blobBytes() < 0 ? "" : call.blobBytes() + " bytes")
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    html.append("<p>Round trips to the store: <strong id=\"round-trips\">")
        .append(roundTrips)
        .append("</strong>; time in the store: <strong id=\"store-time\">")
        .append(millis(nanos))
        .append("</strong>.");
    if (stored) {
      html.append(" The session now lives <strong id=\"idle\">")
          .append(idleTimeout.toMinutes())
          .append(" minutes</strong> more without a request: each request slides it.");
    }
    return html.append("</p>\n</section>\n").toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
