package io.sessionstate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one node knows of recent slides of sessions' idle timeouts: when it last slid each session
 * (by a load, a save or a touch) and by how much. It throttles the touch that requests which never
 * read the session send, to one per session per interval on this node, and it remembers a session's
 * own idle timeout so that the next load slides by it in its one round trip. Thread-safe.
 *
 * <p>Memory is bounded: at most {@link #MAX_ENTRIES} sessions are remembered. Forgetting one costs
 * a load instead of a touch at its next untouched request, never a wrong expiry.
 */
final class IdleSlides {
  static final int MAX_ENTRIES = 100_000;

  /** What an untouched request does. */
  sealed interface Action {}

  /** Slid recently enough: nothing. */
  record Skip() implements Action {}

  /** Touch the entry, by its known timeout. */
  record Touch(Duration ttl) implements Action {}

  /**
   * This node does not know the session's timeout: load it (sliding by the manager's timeout), and
   * slide again by the session's own, if it has one.
   */
  record Load() implements Action {}

  private static final Action SKIP = new Skip();
  private static final Action LOAD = new Load();

  /**
   * A slide: when, and the session's own idle timeout: 0 for the manager's, {@link #UNKNOWN} while
   * a load to learn it is in flight or found nothing.
   */
  private record Slide(long atMillis, long ownTimeoutMillis) {}

  private static final long UNKNOWN = -1;

  private final Duration idleTimeout;
  private final long intervalMillis;
  private final Clock clock;
  private final Map<String, Slide> slides = new ConcurrentHashMap<>();

  IdleSlides(Duration idleTimeout, Duration interval, Clock clock) {
    this.idleTimeout = idleTimeout;
    this.intervalMillis = interval.toMillis();
    this.clock = clock;
  }

  /** The timeout to slide {@code key} by when loading it: its own if this node knows it. */
  Duration loadTtl(String key) {
    Slide slide = slides.get(key);
    if (slide == null || slide.ownTimeoutMillis <= 0) {
      return idleTimeout; // not known, or the manager's: no Optional on every load
    }
    return Duration.ofMillis(slide.ownTimeoutMillis);
  }

  /** The idle timeout of {@code key}'s session, if this node knows it. */
  Optional<Duration> knownTtl(String key) {
    Slide slide = slides.get(key);
    if (slide == null || slide.ownTimeoutMillis == UNKNOWN) {
      return Optional.empty();
    }
    return Optional.of(
        slide.ownTimeoutMillis == 0 ? idleTimeout : Duration.ofMillis(slide.ownTimeoutMillis));
  }

  /** Records that {@code key} was slid just now, by a load or a save. */
  void slid(String key, long ownTimeoutMillis) {
    slides.put(key, new Slide(clock.millis(), ownTimeoutMillis));
    trim();
  }

  /** Forgets {@code key}: its session is gone, or a load meant to learn its timeout failed. */
  void forget(String key) {
    slides.remove(key);
  }

  /** A touch of {@code key} failed: the next untouched request touches it again. */
  void touchFailed(String key) {
    slides.computeIfPresent(
        key, (k, slide) -> new Slide(Long.MIN_VALUE / 2, slide.ownTimeoutMillis));
  }

  /**
   * Claims the slide of an untouched request for {@code key}: the first such request in an interval
   * gets a touch (or a load), and the others, on any thread, get {@link Skip}.
   */
  Action claimUntouched(String key) {
    long now = clock.millis();
    Action[] action = {SKIP};
    slides.compute(
        key,
        (k, slide) -> {
          if (slide == null) {
            action[0] = LOAD;
            return new Slide(now, UNKNOWN);
          }
          if (now - slide.atMillis < interval(slide)) {
            return slide;
          }
          if (slide.ownTimeoutMillis == UNKNOWN) {
            action[0] = LOAD;
            return new Slide(now, UNKNOWN);
          }
          action[0] =
              new Touch(
                  slide.ownTimeoutMillis == 0
                      ? idleTimeout
                      : Duration.ofMillis(slide.ownTimeoutMillis));
          return new Slide(now, slide.ownTimeoutMillis);
        });
    trim();
    return action[0];
  }

  /** A session with a short timeout of its own is slid more often: a twentieth of it at most. */
  private long interval(Slide slide) {
    return slide.ownTimeoutMillis <= 0
        ? intervalMillis
        : Math.min(intervalMillis, slide.ownTimeoutMillis / 20);
  }

  private void trim() {
    if (slides.size() <= MAX_ENTRIES) {
      return;
    }
    long now = clock.millis();
    slides.values().removeIf(slide -> now - slide.atMillis >= interval(slide));
    if (slides.size() > MAX_ENTRIES) {
      // More sessions slid within one interval than the node remembers: start over rather than
      // pay a scan per request. The cost is one load per session, once.
      slides.clear();
    }
  }
}
