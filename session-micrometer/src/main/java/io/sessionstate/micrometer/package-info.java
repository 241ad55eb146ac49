/**
 * Micrometer meters for sessionstate. {@link io.sessionstate.micrometer.SessionMetrics} is a {@link
 * io.sessionstate.SessionObserver} that records every store operation, session size and session
 * event in a {@code MeterRegistry}; {@link io.sessionstate.micrometer.MemoryStoreMetrics} adds the
 * memory store's gauges. Meter names follow Micrometer's conventions and tag keys OpenTelemetry's
 * database-client conventions ({@code db.system.name}, {@code db.operation.name}, {@code
 * error.type}).
 */
@NullMarked
package io.sessionstate.micrometer;

import org.jspecify.annotations.NullMarked;
