package io.sessionstate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that reads the test store's fake time, so the manager and the store agree on "now". */
final class StoreClock extends Clock {
  private static final long BASE_MILLIS = 1_700_000_000_000L;
  private final TestStore store;

  StoreClock(TestStore store) {
    this.store = store;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    return BASE_MILLIS + store.nanos.get() / 1_000_000;
  }
}
