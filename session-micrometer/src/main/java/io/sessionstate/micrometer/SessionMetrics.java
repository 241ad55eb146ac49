package io.sessionstate.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sessionstate.SessionObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Records what a {@link io.sessionstate.SessionManager} does in a Micrometer {@link MeterRegistry}:
 * a timer per store operation and outcome, the size of the blobs loaded and written, the number of
 * values in each written session, and a counter per session event. Set it as the manager's
 * observer:
 *
 * <pre>{@code
 * SessionManager manager = SessionManager.builder()
 *     .store(store)
 *     .observer(SessionMetrics.of(registry))
 *     .build();
 * }</pre>
 *
 * <p>The meters, each tagged with the store's name as {@code db.system.name} and with the tags
 * given here:
 *
 * <ul>
 *   <li>{@value #OPERATION_DURATION} (timer): every store call, tagged {@code db.operation.name}
 *       ({@code load}, {@code save}, {@code conditional_save}, {@code touch}, {@code delete},
 *       {@code invalidate}, {@code replace}, {@code conditional_replace}), {@code outcome} ({@code
 *       ok}, {@code absent}, {@code conflict}, {@code timeout}, {@code error}) and {@code
 *       error.type} (the store's exception class, {@code none} without one);
 *   <li>{@value #SESSION_SIZE} (distribution summary, bytes): each blob loaded or written, tagged
 *       {@code db.operation.name};
 *   <li>{@value #SESSION_VALUES} (distribution summary): the number of values in each written
 *       session;
 *   <li>{@value #CREATED}, {@value #INVALIDATED}, {@value #REGENERATED}, {@value #UNREADABLE},
 *       {@value #UNREADABLE_VALUES}, {@value #CONFLICTS}, {@value #DROPPED_WRITES} (counters).
 * </ul>
 *
 * <p>No meter is tagged with anything that names a session. Meters are registered on first use, so
 * a registry shows only what happened. Thread-safe; one instance may serve several managers, whose
 * stores' names then tell their meters apart.
 */
public final class SessionMetrics implements SessionObserver {

  /** The timer of store operations. */
  public static final String OPERATION_DURATION = "sessionstate.store.operation.duration";

  /** The distribution of the sizes of blobs loaded and written, in bytes. */
  public static final String SESSION_SIZE = "sessionstate.session.size";

  /** The distribution of the number of values in each written session. */
  public static final String SESSION_VALUES = "sessionstate.session.values";

  /** The count of sessions stored for the first time. */
  public static final String CREATED = "sessionstate.sessions.created";

  /** The count of sessions ended by {@code invalidate()}. */
  public static final String INVALIDATED = "sessionstate.sessions.invalidated";

  /** The count of sessions moved to a new key by {@code regenerateId()}. */
  public static final String REGENERATED = "sessionstate.sessions.regenerated";

  /** The count of stored blobs that could not be read and loaded as empty sessions. */
  public static final String UNREADABLE = "sessionstate.sessions.unreadable";

  /** The count of single values the value codec could not decode. */
  public static final String UNREADABLE_VALUES = "sessionstate.values.unreadable";

  /** The count of conditional writes that met another request's version of the session. */
  public static final String CONFLICTS = "sessionstate.commits.conflicts";

  /** The count of writes dropped because the session was signed out, moved or expired. */
  public static final String DROPPED_WRITES = "sessionstate.commits.dropped";

  /** OpenTelemetry's attribute for the database system: the store's name here. */
  public static final String SYSTEM_TAG = "db.system.name";

  /** OpenTelemetry's attribute for the operation's name. */
  public static final String OPERATION_TAG = "db.operation.name";

  /** How the operation ended. */
  public static final String OUTCOME_TAG = "outcome";

  /** OpenTelemetry's attribute for the class of the error; {@code none} without one. */
  public static final String ERROR_TAG = "error.type";

  private static final int OPERATIONS = StoreOperation.values().length;
  private static final int OUTCOMES = StoreOutcome.values().length;

  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, StoreMeters> stores = new ConcurrentHashMap<>();
  // The store seen last: a manager has one, so the map is asked only when a second one appears.
  private volatile @Nullable StoreMeters last;

  private SessionMetrics(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  /**
   * Metrics in {@code registry}, with no tags but the meters' own.
   *
   * @param registry where the meters are registered
   * @return the observer to hand to {@code SessionManager.Builder.observer}
   */
  public static SessionMetrics of(MeterRegistry registry) {
    return of(registry, Tags.empty());
  }

  /**
   * Metrics in {@code registry}, each meter also tagged with {@code tags} (an application, say).
   *
   * @param registry where the meters are registered
   * @param tags tags added to every meter
   * @return the observer to hand to {@code SessionManager.Builder.observer}
   */
  public static SessionMetrics of(MeterRegistry registry, Iterable<Tag> tags) {
    return new SessionMetrics(requireNonNull(registry, "registry"), Tags.of(tags));
  }

  @Override
  public void storeCall(
      String storeName,
      StoreOperation operation,
      StoreOutcome outcome,
      @Nullable Class<? extends Throwable> errorType,
      long durationNanos,
      int blobBytes,
      int valueCount) {
    StoreMeters meters = meters(storeName);
    meters.timer(operation, outcome, errorType).record(durationNanos, TimeUnit.NANOSECONDS);
    if (blobBytes >= 0) {
      meters.size(operation).record(blobBytes);
    }
    if (valueCount >= 0) {
      meters.values().record(valueCount);
    }
  }

  @Override
  public void sessionEvent(String storeName, Event event) {
    meters(storeName).counter(event).increment();
  }

  private StoreMeters meters(String storeName) {
    StoreMeters m = last;
    if (m != null && m.name.equals(storeName)) {
      return m;
    }
    m = stores.computeIfAbsent(storeName, StoreMeters::new);
    last = m;
    return m;
  }

  /**
   * The meters of one store, looked up once and kept in arrays indexed by the enums, so a recording
   * costs no registry lookup. Two threads may register the same meter at once; the registry hands
   * both the same one, so the race costs nothing but the lookup.
   */
  private final class StoreMeters {
    final String name;
    final Tags storeTags;
    final @Nullable Timer[] timers = new Timer[OPERATIONS * OUTCOMES];
    final Map<Class<?>, Timer> errorTimers = new ConcurrentHashMap<>();
    final @Nullable DistributionSummary[] sizes = new DistributionSummary[OPERATIONS];
    final @Nullable Counter[] counters = new Counter[Event.values().length];
    @Nullable DistributionSummary values;

    StoreMeters(String name) {
      this.name = name;
      this.storeTags = tags.and(SYSTEM_TAG, name);
    }

    Timer timer(StoreOperation operation, StoreOutcome outcome, @Nullable Class<?> errorType) {
      if (errorType != null) {
        return errorTimers.computeIfAbsent(
            errorType, type -> registerTimer(operation, outcome, type.getName()));
      }
      int i = operation.ordinal() * OUTCOMES + outcome.ordinal();
      Timer t = timers[i];
      if (t == null) {
        t = registerTimer(operation, outcome, "none");
        timers[i] = t;
      }
      return t;
    }

    private Timer registerTimer(StoreOperation operation, StoreOutcome outcome, String error) {
      return Timer.builder(OPERATION_DURATION)
          .description("Time of one session store operation")
          .tags(storeTags)
          .tag(OPERATION_TAG, operation.tagValue())
          .tag(OUTCOME_TAG, outcome.tagValue())
          .tag(ERROR_TAG, error)
          .register(registry);
    }

    DistributionSummary size(StoreOperation operation) {
      DistributionSummary s = sizes[operation.ordinal()];
      if (s == null) {
        s =
            DistributionSummary.builder(SESSION_SIZE)
                .description("Size of a stored session blob loaded or written")
                .baseUnit("bytes")
                .tags(storeTags)
                .tag(OPERATION_TAG, operation.tagValue())
                .register(registry);
        sizes[operation.ordinal()] = s;
      }
      return s;
    }

    DistributionSummary values() {
      DistributionSummary v = values;
      if (v == null) {
        v =
            DistributionSummary.builder(SESSION_VALUES)
                .description("Number of values in a written session")
                .baseUnit("values")
                .tags(storeTags)
                .register(registry);
        values = v;
      }
      return v;
    }

    Counter counter(Event event) {
      Counter c = counters[event.ordinal()];
      if (c == null) {
        c =
            Counter.builder(counterName(event))
                .description(counterDescription(event))
                .baseUnit(event == Event.UNREADABLE_VALUE ? "values" : "sessions")
                .tags(storeTags)
                .register(registry);
        counters[event.ordinal()] = c;
      }
      return c;
    }
  }

  private static String counterName(Event event) {
    return switch (event) {
      case CREATED -> CREATED;
      case INVALIDATED -> INVALIDATED;
      case REGENERATED -> REGENERATED;
      case UNREADABLE_DATA -> UNREADABLE;
      case UNREADABLE_VALUE -> UNREADABLE_VALUES;
      case CONFLICT -> CONFLICTS;
      case DROPPED_WRITE -> DROPPED_WRITES;
    };
  }

  private static String counterDescription(Event event) {
    return switch (event) {
      case CREATED -> "Sessions stored for the first time";
      case INVALIDATED -> "Sessions ended by invalidate()";
      case REGENERATED -> "Sessions moved to a new key by regenerateId()";
      case UNREADABLE_DATA -> "Stored sessions that could not be read and loaded as empty";
      case UNREADABLE_VALUE -> "Values the value codec could not decode";
      case CONFLICT -> "Conditional writes that met another request's version of the session";
      case DROPPED_WRITE -> "Writes dropped because the session was signed out, moved or expired";
    };
  }

  @Override
  public String toString() {
    return "SessionMetrics{registry="
        + registry.getClass().getSimpleName()
        + ", tags="
        + tags
        + "}";
  }
}
