package io.sessionstate;

import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commits that write nothing but slide the session's expiry with a touch, off the response's
 * path: nobody waits for them, and a failure goes to the listener. Holds no state of its own; this
 * node's record of its slides is the {@link IdleSlides}.
 */
final class TouchCommit {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final SessionOptions options;
  private final StoreCalls calls;
  private final IdleSlides slides;

  TouchCommit(SessionOptions options, StoreCalls calls, IdleSlides slides) {
    this.options = options;
    this.calls = calls;
    this.slides = slides;
  }

  /**
   * A commit that writes nothing: when the load slid the entry by the manager's timeout and the
   * session has its own (this node had not seen it), slide it again by its own, off the response's
   * path.
   */
  void slideByOwnTimeout(SessionState s) {
    long own = s.values.ownIdleTimeoutMillis();
    String key = s.key.current();
    if (key == null || s.slidBy == null || own == 0 || s.slidBy.toMillis() == own) {
      return;
    }
    Duration ttl = options.ttl(s.values.createdAtMillis(options.clock()), own);
    s.slidBy = ttl;
    calls.touch(key, ttl).whenComplete((ignored, failure) -> afterTouch(key, failure));
  }

  /**
   * A request that never read the session slides its expiry all the same, as ASP.NET Core's does:
   * at most once per session and interval on this node, and without waiting for the store.
   */
  void slideUntouched(String key) {
    IdleSlides.Action action = slides.claimUntouched(key);
    if (action instanceof IdleSlides.Touch touch) {
      calls.touch(key, touch.ttl()).whenComplete((ignored, failure) -> afterTouch(key, failure));
    } else if (action instanceof IdleSlides.Load) {
      // This node does not know the session's own timeout, if it has one: the blob says.
      calls
          .load(key, options.idleTimeout())
          .whenComplete(
              (stored, failure) -> {
                if (failure != null) {
                  slides.forget(key); // its timeout is still unknown: the next one loads again
                  slideFailed(failure);
                  return;
                }
                if (stored.state() != Stored.State.PRESENT) {
                  return; // nothing to slide; the entry stays, so no load for an interval
                }
                long own = ownIdleTimeout(key, stored.blob());
                slides.slid(key, own);
                if (own > 0 && own != options.idleTimeout().toMillis()) {
                  calls
                      .touch(key, Duration.ofMillis(own))
                      .whenComplete((ignored, again) -> afterTouch(key, again));
                }
              });
    }
  }

  /** The own idle timeout a blob carries, 0 for none or for a blob that cannot be read. */
  private long ownIdleTimeout(String key, byte[] blob) {
    try {
      return BlobFormat.decode(
              blob,
              options.blobKeys(),
              key,
              (long) options.maxSessionSize() + BlobFormat.MAX_TAG_BYTES)
          .idleTimeoutMillis();
    } catch (SessionDataException e) {
      return 0; // the request that reads it reports it
    }
  }

  /** Nobody waits for a touch: a failure is told to the listener, and the next request retries. */
  private void afterTouch(String key, Throwable failure) {
    if (failure != null) {
      slides.touchFailed(key);
      slideFailed(failure);
    }
  }

  private void slideFailed(Throwable failure) {
    SessionException error = (SessionException) StoreCalls.unwrap(failure);
    log.debug("Sliding an idle timeout failed: {}", error.getMessage());
    options.notify("failed", l -> l.failed(null, "touch", error));
  }
}
