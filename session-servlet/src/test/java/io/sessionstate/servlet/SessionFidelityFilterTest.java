package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.CountingSessionStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session's fidelity items through the filter, over real HTTP on Jetty 12: a change the session
 * could not keep answers 503, the idle timeout slides on pages that never read the session, a
 * cookie under an older key is re-issued under the primary, and {@code setMaxInactiveInterval}
 * gives a session its own idle timeout.
 */
class SessionFidelityFilterTest {
  private static final byte[] K1 = "k1-secret-0123456789abcdef-012345".getBytes();
  private static final byte[] K2 = "k2-secret-0123456789abcdef-012345".getBytes();

  private final TtlRecordingStore ttls =
      new TtlRecordingStore(MemorySessionStore.builder().maximumBytes(16 << 20).build());
  private final CountingSessionStore store = CountingSessionStore.wrap(ttls);
  private final List<SessionManager> managers = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestServer server;

  private SessionManager manager(UnaryOperator<SessionManager.Builder> options) {
    SessionManager manager =
        options
            .apply(
                SessionManager.builder()
                    .store(store)
                    .keyRing(KeyRing.builder().addKey("k1", K1).build()))
            .build();
    managers.add(manager);
    return manager;
  }

  private void start(SessionManager manager, UnaryOperator<SessionFilter.Builder> options)
      throws Exception {
    server =
        TestServer.start(
            options.apply(SessionFilter.builder(manager)).build(), new BridgeServlet());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    managers.forEach(SessionManager::close);
  }

  // ---- item 3: a change that was not kept is never acknowledged

  @Test
  void writeDroppedByFailedLoad_answers503() throws Exception {
    start(manager(b -> b), f -> f);
    Visitor visitor = new Visitor();
    visitor.get("/set?name=cart&value=apple");
    store.failWith(new IllegalStateException("test store is down"));

    HttpResponse<String> added = visitor.get("/set?name=cart&value=pear");

    assertThat(added.statusCode()).isEqualTo(503);
    assertThat(added.body()).isEqualTo(RequestCycle.UNAVAILABLE_MESSAGE);
    store.recover();
    assertThat(visitor.get("/get?name=cart").body()).isEqualTo("apple");
  }

  @Test
  void writeDroppedByFailedLoad_logAndContinue_answersAsTheApplicationDid() throws Exception {
    start(manager(b -> b), f -> f.commitFailure(SessionFilter.CommitFailure.LOG_AND_CONTINUE));
    Visitor visitor = new Visitor();
    visitor.get("/set?name=cart&value=apple");
    store.failWith(new IllegalStateException("test store is down"));

    HttpResponse<String> added = visitor.get("/set?name=cart&value=pear");

    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(added.body()).isEqualTo("ok");
  }

  @Test
  void readOnlyRequest_afterFailedLoad_answers200() throws Exception {
    start(manager(b -> b), f -> f);
    Visitor visitor = new Visitor();
    visitor.get("/set?name=cart&value=apple");
    store.failWith(new IllegalStateException("test store is down"));

    HttpResponse<String> read = visitor.get("/get?name=cart");

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("no session");
  }

  // ---- item 2: every request with a valid cookie slides the idle timeout

  @Test
  void untouchedRequest_slidesIdleTimeout() throws Exception {
    start(manager(b -> b.idleTimeout(Duration.ofMillis(1500))), f -> f);
    Visitor visitor = new Visitor();
    visitor.get("/set?name=cart&value=apple");
    for (int i = 0; i < 3; i++) {
      Thread.sleep(800);
      assertThat(visitor.get("/nothing").body()).isEqualTo("hello");
    }
    Thread.sleep(800);
    assertThat(visitor.get("/get?name=cart").body()).isEqualTo("apple");
    assertThat(store.touches()).isEqualTo(3);
  }

  // ---- item 4: key rotation signs nobody out

  @Test
  void cookieUnderOldKey_reissuedUnderPrimary_retiringOldKeyLosesNoActiveSession()
      throws Exception {
    SessionManager before = manager(b -> b);
    SessionManager rotated =
        manager(b -> b.keyRing(KeyRing.builder().addKey("k2", K2).addKey("k1", K1).build()));
    SessionManager retired = manager(b -> b.keyRing(KeyRing.builder().addKey("k2", K2).build()));
    SessionRequest first = before.begin(null, false, () -> false);
    first.session().setString("user", "ada");
    String oldCookie = cookieValue(first.finish().setCookie().orElseThrow());
    assertThat(oldCookie).contains(".k1.");
    start(rotated, f -> f);
    Visitor visitor = new Visitor();
    visitor.cookie = oldCookie;

    HttpResponse<String> page = visitor.get("/nothing");

    assertThat(page.headers().firstValue("Set-Cookie")).isPresent();
    assertThat(visitor.cookie).contains(".k2.");
    SessionRequest after = retired.beginWithCookieValue(visitor.cookie, false, () -> false);
    assertThat(after.session().getString("user")).hasValue("ada");
  }

  // ---- item 9: a session's own idle timeout

  @Test
  void setMaxInactiveInterval_persistedWithSessionAndHonouredByTheStore() throws Exception {
    start(manager(b -> b), f -> f);
    Visitor visitor = new Visitor();
    visitor.get("/set?name=user&value=ada");
    assertThat(visitor.get("/max?value=7200").body()).isEqualTo("max=7200");
    assertThat(ttls.lastTtl).isEqualTo(Duration.ofHours(2));

    assertThat(visitor.get("/info").body()).contains("maxInactive=7200");
    assertThat(ttls.lastTtl).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void setMaxInactiveInterval_belowMinimumOrNeverExpire_rejected() throws Exception {
    start(manager(b -> b), f -> f);
    Visitor visitor = new Visitor();
    for (String interval : List.of("0", "-1", "59")) {
      assertThat(visitor.get("/max?value=" + interval).body())
          .isEqualTo(
              "IAE: setMaxInactiveInterval("
                  + interval
                  + "): the interval must be from 60 to 31536000 seconds; a session that never"
                  + " expires (0 or less) is not supported");
    }
  }

  private static String cookieValue(String setCookie) {
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  private final class Visitor {
    String cookie;

    HttpResponse<String> get(String path) throws Exception {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
      if (cookie != null) {
        builder.header("Cookie", "session=" + cookie);
      }
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      for (String setCookie : response.headers().allValues("Set-Cookie")) {
        if (setCookie.startsWith("session=")) {
          String value = cookieValue(setCookie);
          cookie = setCookie.contains("Max-Age=0") ? null : value;
        }
      }
      return response;
    }
  }

  /** Passes every call on to a real store, keeping the expiry of the last call that set one. */
  private static final class TtlRecordingStore implements SessionStore {
    private final SessionStore delegate;
    volatile Duration lastTtl;

    TtlRecordingStore(SessionStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
      lastTtl = ttl;
      return delegate.loadAndTouch(key, ttl);
    }

    @Override
    public void save(String key, byte[] blob, Duration ttl) {
      lastTtl = ttl;
      delegate.save(key, blob, ttl);
    }

    @Override
    public void touch(String key, Duration ttl) {
      lastTtl = ttl;
      delegate.touch(key, ttl);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public boolean isNonBlocking() {
      return delegate.isNonBlocking();
    }

    @Override
    public boolean isExternallyWritable() {
      return delegate.isExternallyWritable();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
