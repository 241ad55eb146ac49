package io.sessionstate.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sessionstate.memory.MemorySessionStore;

/**
 * The memory store's gauges: {@value #WEIGHT} (the bytes its entries are counted at, against the
 * bound), {@value #MAXIMUM_WEIGHT} (the bound) and {@value #ENTRIES} (sessions and tombstones
 * held), each tagged {@code db.system.name=memory}. The gauges hold the store weakly, as
 * Micrometer's do: once the store is gone they read NaN. Thread-safe.
 *
 * <pre>{@code
 * new MemoryStoreMetrics(store).bindTo(registry);
 * }</pre>
 */
public final class MemoryStoreMetrics implements MeterBinder {

  /** The bytes the memory store's entries are counted at. */
  public static final String WEIGHT = "sessionstate.memory.weight";

  /** The memory store's bound, in bytes. */
  public static final String MAXIMUM_WEIGHT = "sessionstate.memory.weight.max";

  /** The entries the memory store holds. */
  public static final String ENTRIES = "sessionstate.memory.entries";

  private final MemorySessionStore store;
  private final Tags tags;

  /**
   * Gauges of {@code store}, with no tags but {@code db.system.name}.
   *
   * @param store the memory store to measure
   */
  public MemoryStoreMetrics(MemorySessionStore store) {
    this(store, Tags.empty());
  }

  /**
   * Gauges of {@code store}, also tagged with {@code tags}.
   *
   * @param store the memory store to measure
   * @param tags tags added to every gauge
   */
  public MemoryStoreMetrics(MemorySessionStore store, Iterable<Tag> tags) {
    this.store = requireNonNull(store, "store");
    this.tags = Tags.of(tags).and(SessionMetrics.SYSTEM_TAG, store.name());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(WEIGHT, store, MemorySessionStore::usedBytes)
        .description("Bytes the memory store's entries are counted at, against its bound")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    Gauge.builder(MAXIMUM_WEIGHT, store, MemorySessionStore::maximumBytes)
        .description("The memory store's bound")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    Gauge.builder(ENTRIES, store, MemorySessionStore::sessionCount)
        .description("Sessions and tombstones the memory store holds")
        .baseUnit("entries")
        .tags(tags)
        .register(registry);
  }
}
