package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionInfo;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.tck.CountingSessionStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three application nodes, each with its own session manager and store, over one Redis Cluster: one
 * user signed in from five browsers is listed alike on every node, and "sign out everywhere" on one
 * node signs every browser out on every node at their next request, while a request in flight
 * during it writes nothing back.
 */
@ExtendWith(SharedRedisFixtures.class)
class RedisClusterPrincipalsIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static RedisClusterFixture cluster;

  private final String app = "principals" + UUID.randomUUID().toString().replace("-", "");
  private final List<SessionManager> nodes = new ArrayList<>();
  private final List<CountingSessionStore> stores = new ArrayList<>();

  @BeforeAll
  static void cluster(RedisClusterFixture shared) {
    cluster = shared;
  }

  @BeforeEach
  void startNodes() {
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    RANDOM.nextBytes(secret);
    KeyRing ring = KeyRing.builder().addKey("k1", secret).build();
    for (int i = 0; i < 3; i++) {
      CountingSessionStore store =
          CountingSessionStore.wrap(
              RedisSessionStore.builder().cluster(cluster.seeds()).applicationName(app).build());
      stores.add(store);
      nodes.add(SessionManager.builder().store(store).keyRing(ring).build());
    }
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(SessionManager::close);
  }

  @Test
  void fiveBrowsers_listedOnEveryNode_signOutEverywhere_endsThemAllAtTheirNextRequest() {
    String user = "ada-" + UUID.randomUUID();
    List<String> browsers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      browsers.add(signIn(nodes.get(i % 3), user));
    }

    for (SessionManager node : nodes) {
      List<SessionInfo> listed = node.principalSessions().list(user);
      assertThat(listed).hasSize(5);
      assertThat(listed).extracting(SessionInfo::id).doesNotHaveDuplicates();
    }

    // Node B loads the first browser's session and is still working on it.
    SessionRequest inFlight = nodes.get(1).begin(browsers.get(0), false, () -> false);
    assertThat(inFlight.session().principal()).contains(user);

    assertThat(nodes.get(0).principalSessions().endAll(user)).isEqualTo(5);

    inFlight.session().setString("cart", "written after the sign-out");
    inFlight.finish();
    for (SessionManager node : nodes) {
      for (String browser : browsers) {
        SessionRequest next = node.begin(browser, false, () -> false);
        assertThat(next.session().principal()).isEmpty();
        assertThat(next.session().getString("cart")).isEmpty();
        next.finish();
      }
      assertThat(node.principalSessions().list(user)).isEmpty();
    }
  }

  @Test
  void aRequestThatDoesNotBind_costsNoIndexCall_andASignInCostsOne() {
    String user = "grace-" + UUID.randomUUID();
    CountingSessionStore store = stores.get(2);
    String browser = signIn(nodes.get(2), user);
    assertThat(store.indexCalls()).isEqualTo(1);

    store.reset();
    SessionRequest page = nodes.get(2).begin(browser, false, () -> false);
    page.session().setString("cart", "1");
    page.finish();

    assertThat(store.indexCalls()).isZero();
    assertThat(store.calls()).isEqualTo(2); // the load and the save, as without an index
  }

  private static String signIn(SessionManager node, String user) {
    SessionRequest request = node.begin(null, false, () -> false);
    request.session().setString("signedIn", "yes");
    request.session().bindPrincipal(user);
    SessionResponse response = request.finish();
    String setCookie = response.setCookie().orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
