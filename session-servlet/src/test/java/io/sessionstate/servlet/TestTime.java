package io.sessionstate.servlet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when a test says so: a {@link Clock} for the session manager and a
 * nanosecond ticker for the memory store, reading the same offset, so that the manager and the
 * store agree on "now" and expiry tests never sleep.
 */
final class TestTime extends Clock {
  private final long startMillis;
  private final AtomicLong elapsedNanos = new AtomicLong();

  private TestTime(long startMillis) {
    this.startMillis = startMillis;
  }

  /** Starts at {@code start}. */
  static TestTime at(Instant start) {
    return new TestTime(start.toEpochMilli());
  }

  /** Moves time forward by {@code d}. */
  void advance(Duration d) {
    elapsedNanos.addAndGet(d.toNanos());
  }

  /** The ticker for {@code MemorySessionStore.Builder.ticker}. */
  long nanos() {
    return elapsedNanos.get();
  }

  @Override
  public long millis() {
    return startMillis + elapsedNanos.get() / 1_000_000;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
