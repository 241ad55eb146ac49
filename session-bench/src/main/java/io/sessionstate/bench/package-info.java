/**
 * JMH benchmarks of the session request cycle over every store, beside raw-client baselines and
 * Spring Session on the same servers. Run them with {@code bash scripts/bench}.
 */
@NullMarked
package io.sessionstate.bench;

import org.jspecify.annotations.NullMarked;
