package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** The retry schedule on a fake clock: no test here waits for real time. */
class RetryLoopTest {
  private static final long MS = 1_000_000L;

  /** A clock that only the sleeper moves (and a call, when it says it took time). */
  private long now = 5_000 * MS; // any start: the loop must not assume 0

  private final List<Long> attempts = new ArrayList<>();
  private final List<Long> sleeps = new ArrayList<>();

  private RetryLoop loop(Duration timeout) {
    return new RetryLoop(
        timeout,
        RedisErrors::retryable,
        () -> now,
        nanos -> {
          sleeps.add(nanos);
          now += nanos;
        });
  }

  private <T> T failing(RuntimeException failure) {
    attempts.add(now);
    throw failure;
  }

  private List<Long> attemptsInMillisFromStart() {
    long start = attempts.get(0);
    return attempts.stream().map(t -> (t - start) / MS).toList();
  }

  @Test
  void retryableFailure_isRetriedAfter20ms_thenEverySecond_thenOnceAtTheTimeout() {
    JedisConnectionException refused = new JedisConnectionException("refused");

    assertThatThrownBy(() -> loop(Duration.ofSeconds(3)).call(() -> failing(refused), () -> false))
        .isSameAs(refused);

    assertThat(attemptsInMillisFromStart()).containsExactly(0L, 20L, 1020L, 2020L, 3000L);
    assertThat(sleeps).containsExactly(20 * MS, 1000 * MS, 1000 * MS, 980 * MS);
  }

  @Test
  void retryTimeoutShorterThanTheFirstDelay_retriesOnceAtTheTimeout() {
    JedisConnectionException refused = new JedisConnectionException("refused");

    assertThatThrownBy(() -> loop(Duration.ofMillis(5)).call(() -> failing(refused), () -> false))
        .isSameAs(refused);

    assertThat(attemptsInMillisFromStart()).containsExactly(0L, 5L);
  }

  @Test
  void slowAttempt_nextRetryIsOneIntervalAfterItFailed_andTheLastStillAtTheTimeout() {
    JedisConnectionException timedOut = new JedisConnectionException("timed out");

    assertThatThrownBy(
            () ->
                loop(Duration.ofMillis(2500))
                    .call(
                        () -> {
                          attempts.add(now);
                          now += 400 * MS; // each attempt waits 400 ms for its reply
                          throw timedOut;
                        },
                        () -> false))
        .isSameAs(timedOut);

    // Tries start at 0, then 20 ms after the first failed (420), then a second after each
    // failure (1820); the next would start at 3220, past the timeout, so the last one starts at
    // 2500.
    assertThat(attemptsInMillisFromStart()).containsExactly(0L, 420L, 1820L, 2500L);
  }

  @Test
  void failureThatPasses_returnsTheLaterAnswer() {
    AtomicInteger calls = new AtomicInteger();

    String answer =
        loop(Duration.ofSeconds(3))
            .call(
                () -> {
                  attempts.add(now);
                  if (calls.incrementAndGet() < 3) {
                    throw new JedisDataException("LOADING Redis is loading the dataset in memory");
                  }
                  return "blob";
                },
                () -> false);

    assertThat(answer).isEqualTo("blob");
    assertThat(attemptsInMillisFromStart()).containsExactly(0L, 20L, 1020L);
  }

  @Test
  void failureThatCannotPass_isThrownAtOnce() {
    JedisDataException wrongType = new JedisDataException("WRONGTYPE Operation against a key");

    assertThatThrownBy(
            () -> loop(Duration.ofSeconds(3)).call(() -> failing(wrongType), () -> false))
        .isSameAs(wrongType);

    assertThat(attempts).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void zeroRetryTimeout_triesOnce() {
    JedisConnectionException refused = new JedisConnectionException("refused");

    assertThatThrownBy(() -> loop(Duration.ZERO).call(() -> failing(refused), () -> false))
        .isSameAs(refused);

    assertThat(attempts).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void stopped_endsTheRetriesWithTheLastFailure() {
    JedisConnectionException refused = new JedisConnectionException("refused");

    assertThatThrownBy(
            () ->
                loop(Duration.ofSeconds(3))
                    .call(() -> failing(refused), () -> attempts.size() >= 2))
        .isSameAs(refused);

    assertThat(attempts).hasSize(2);
  }

  @Test
  void interruptedWhileWaiting_throwsTheFailureWithTheInterruptSuppressed_andKeepsTheFlag() {
    JedisConnectionException refused = new JedisConnectionException("refused");
    InterruptedException interrupt = new InterruptedException("shutting down");
    RetryLoop loop =
        new RetryLoop(
            Duration.ofSeconds(3),
            RedisErrors::retryable,
            () -> now,
            nanos -> {
              throw interrupt;
            });

    try {
      assertThatThrownBy(() -> loop.call(() -> failing(refused), () -> false))
          .isSameAs(refused)
          .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(interrupt));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(attempts).hasSize(1);
  }

  @Test
  void retryTimeoutBeyondTheNanosecondClock_retriesWithoutOverflow() {
    AtomicInteger calls = new AtomicInteger();

    String answer =
        loop(Duration.ofDays(365L * 1000))
            .call(
                () -> {
                  if (calls.incrementAndGet() < 4) {
                    throw new JedisConnectionException("refused");
                  }
                  return "blob";
                },
                () -> false);

    assertThat(answer).isEqualTo("blob");
    assertThat(sleeps).containsExactly(20 * MS, 1000 * MS, 1000 * MS);
  }
}
