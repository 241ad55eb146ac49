package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pause a merge takes between two writes: it ends by itself, or when the manager closes. */
class StoreCallsPauseTest {

  @Test
  void pause_completesAfterItsDelay() throws Exception {
    StoreCalls calls = new StoreCalls(TestStore.networked(), Duration.ofMinutes(1), null, 4, 16);
    try {
      calls.pause(Duration.ofMillis(1), false).get(10, TimeUnit.SECONDS);
    } finally {
      calls.close();
    }
  }

  @Test
  void pause_pendingWhenTheManagerCloses_completesAtOnce_andTheStoreCallAfterItFails() {
    StoreCalls calls = new StoreCalls(TestStore.networked(), Duration.ofMinutes(1), null, 4, 16);
    CompletableFuture<Void> pause = calls.pause(Duration.ofHours(1), false);
    assertThat(pause).isNotDone();

    calls.close();

    // The delay thread would end it only in an hour; the pause must not wait for it.
    assertThat(pause).isCompleted();
    assertThat(calls.load("k", Duration.ofMinutes(1), false))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isExactlyInstanceOf(SessionStoreException.class)
        .withMessage("test store failed to load: the session manager is closed");
  }

  @Test
  void pause_afterTheManagerClosed_completesAtOnce() {
    StoreCalls calls = new StoreCalls(TestStore.networked(), Duration.ofMinutes(1), null, 4, 16);
    calls.close();
    assertThat(calls.pause(Duration.ofHours(1), false)).isCompleted();
  }

  @Test
  void pause_whereTheCallerWaits_isSleptOutOnTheCallersThread() {
    StoreCalls calls = new StoreCalls(TestStore.networked(), Duration.ofMinutes(1), null, 4, 16);
    try {
      long start = System.nanoTime();
      CompletableFuture<Void> pause = calls.pause(Duration.ofMillis(20), true);
      // Complete on return: the synchronous commit that follows runs on this thread too.
      assertThat(pause).isCompleted();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(20));
    } finally {
      calls.close();
    }
  }
}
