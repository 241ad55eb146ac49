package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Twenty-four visitors add items to their carts, the way a shop's handler does (read the cart,
 * append, write it back, with no explicit load), while their Redis is killed and restarted two
 * seconds later, or frozen for three: every addition whose request ended without an error, the
 * "added to your cart" a page would show, is in the stored cart afterwards.
 */
class RedisDroppedWritesIT {
  private static final int CLIENTS = 24;
  private RedisServerProcess server;
  private SessionManager manager;

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void startWith(String... serverArgs) {
    server = RedisServerProcess.start(serverArgs);
    manager =
        SessionManager.builder()
            .store(
                RedisSessionStore.builder()
                    .host("127.0.0.1")
                    .port(server.port())
                    .applicationName("carts")
                    .build())
            .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
            .build();
  }

  @Test
  void writeDroppedByFailedLoad_killedAndRestartedTwoSecondsLater_noAcknowledgedAdditionLost()
      throws Exception {
    startWith("--appendonly", "yes", "--appendfsync", "always");
    Shoppers shoppers = new Shoppers(manager);
    RedisServerProcess.sleep(Duration.ofSeconds(1));
    server.kill();
    RedisServerProcess.sleep(Duration.ofSeconds(2));
    server.restart();
    RedisServerProcess.sleep(Duration.ofSeconds(2));
    shoppers.stopAndAssertNothingAcknowledgedWasLost("kill");
  }

  @Test
  void writeDroppedByFailedLoad_frozenForThreeSeconds_noAcknowledgedAdditionLost()
      throws Exception {
    startWith();
    Shoppers shoppers = new Shoppers(manager);
    RedisServerProcess.sleep(Duration.ofSeconds(1));
    server.pause();
    try {
      RedisServerProcess.sleep(Duration.ofSeconds(3));
    } finally {
      server.resume();
    }
    RedisServerProcess.sleep(Duration.ofSeconds(2));
    shoppers.stopAndAssertNothingAcknowledgedWasLost("freeze");
  }

  /** The visitors: each adds numbered items to its own cart until stopped. */
  private static final class Shoppers {
    private final Browser[] browsers = new Browser[CLIENTS];
    private final List<List<Integer>> acknowledged = new ArrayList<>();
    private final Thread[] threads = new Thread[CLIENTS];
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<Throwable> foreign = Collections.synchronizedList(new ArrayList<>());

    Shoppers(SessionManager manager) {
      for (int c = 0; c < CLIENTS; c++) {
        browsers[c] = new Browser(manager);
        browsers[c].run(s -> s.setString("cart", "0"));
        List<Integer> mine = new ArrayList<>();
        acknowledged.add(mine);
        Browser browser = browsers[c];
        threads[c] = new Thread(() -> shop(browser, mine), "shopper-" + c);
        threads[c].setDaemon(true);
        threads[c].start();
      }
    }

    private void shop(Browser browser, List<Integer> mine) {
      int item = 1;
      while (!stop.get()) {
        int adding = item++;
        try {
          browser.run(
              s -> {
                String cart = s.getString("cart").orElse("");
                s.setString("cart", cart.isEmpty() ? "" + adding : cart + "," + adding);
              });
          mine.add(adding); // the page says "added to your cart"
        } catch (SessionException e) {
          failed.incrementAndGet(); // the page says the shop is unavailable; nothing is claimed
        } catch (RuntimeException e) {
          foreign.add(e);
        }
        RedisServerProcess.sleep(Duration.ofMillis(25));
      }
    }

    void stopAndAssertNothingAcknowledgedWasLost(String fault) throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(30).toMillis());
        assertThat(t.isAlive()).as("%s is stuck", t.getName()).isFalse();
      }
      assertThat(foreign).as("failures that are not SessionExceptions").isEmpty();
      assertThat(failed.get()).as("requests failed during the fault").isPositive();
      int total = 0;
      int lost = 0;
      for (int c = 0; c < CLIENTS; c++) {
        String cart = browsers[c].request(s -> s.getString("cart")).orElse("");
        Set<String> stored = new HashSet<>(Arrays.asList(cart.split(",")));
        for (int item : acknowledged.get(c)) {
          total++;
          if (!stored.contains(String.valueOf(item))) {
            lost++;
          }
        }
      }
      System.out.printf(
          "%s: %d additions acknowledged, %d refused, %d acknowledged but lost%n",
          fault, total, failed.get(), lost);
      assertThat(total).as("additions acknowledged").isGreaterThan(CLIENTS * 10);
      assertThat(lost).as("acknowledged additions missing from the stored carts").isZero();
    }
  }
}
