package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionDataException;
import io.sessionstate.SessionListener;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.ValueCodec;
import io.sessionstate.kryo.KryoValueCodec;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.tck.CountingSessionStore;
import io.sessionstate.tck.LogCapture;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An attribute the codec cannot read costs that attribute, not the request: {@code getAttribute}
 * returns null, one WARN line without the value, and the request's commit drops it. Over real HTTP
 * in Jetty 12.
 */
class UnreadableAttributeTest {
  private static final ValueCodec CODEC =
      KryoValueCodec.builder().register(BridgeServlet.Item.class).build();

  private final CountingSessionStore store =
      CountingSessionStore.wrap(MemorySessionStore.builder().maximumBytes(16 << 20).build());
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final SessionManager manager =
      SessionManager.builder()
          .store(store)
          .keyRing(KeyRing.generate())
          .valueCodec(CODEC)
          .listener(
              new SessionListener() {
                @Override
                public void unreadableValue(
                    String sessionId, String key, SessionDataException problem) {
                  events.add(key);
                }
              })
          .build();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestServer server;
  private String cookie;

  /** Reads the attribute {@code name} twice, then lists the names, as "first,second|names". */
  private static final class ReadTwice extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      HttpSession session = req.getSession();
      if ("/set".equals(req.getPathInfo())) {
        session.setAttribute("item", new BridgeServlet.Item("apple", 3));
        session.setAttribute("note", "kept");
        resp.getWriter().print("ok");
        return;
      }
      String name = req.getParameter("name");
      Object first = session.getAttribute(name);
      Object second = session.getAttribute(name);
      resp.getWriter()
          .print(
              first
                  + ","
                  + second
                  + "|"
                  + String.join(",", Collections.list(session.getAttributeNames())));
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(SessionFilter.builder(manager).build(), new ReadTwice());
  }

  @AfterEach
  void stop() {
    server.close();
    manager.close();
  }

  @Test
  void getAttribute_damagedValue_nullWithOneWarningWithoutTheValue_andTheCommitDropsIt()
      throws Exception {
    get("/set");
    // The value's own bytes cut short, as a damaged store entry or a changed class leaves them:
    // the codec knows the class but cannot read the value.
    byte[] encoded = CODEC.encode(new BridgeServlet.Item("secret-pear", 3));
    plant("item", Arrays.copyOf(encoded, encoded.length - 2));
    int saves = store.saves();

    HttpResponse<String> response;
    String log;
    try (LogCapture capture = LogCapture.systemErr()) {
      response = get("/read?name=item");
      log = capture.text();
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("null,null|note");
    assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(1);
    assertThat(log)
        .contains(
            "Session attribute 'item' could not be read and is removed: cannot read session value"
                + " \"item\" as java.lang.Object: cannot decode value as java.lang.Object (stored"
                + " class io.sessionstate.servlet.BridgeServlet$Item)")
        .doesNotContain("secret", "pear");
    assertThat(events).containsExactly("item");
    assertThat(store.saves()).as("the request's commit drops the key").isEqualTo(saves + 1);
    SessionRequest later = manager.begin("session=" + cookie, false, () -> false);
    assertThat(later.session().keys()).contains("note").doesNotContain("item");
    later.finish();
    assertThat(get("/read?name=note").body()).isEqualTo("kept,kept|note");
  }

  @Test
  void getAttribute_bytesNoCodecWrote_nullAndOtherAttributesIntact() throws Exception {
    get("/set");
    plant("item", new byte[] {1, 2, 3});

    HttpResponse<String> response = get("/read?name=item");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("null,null|note");
    assertThat(get("/read?name=note").body()).isEqualTo("kept,kept|note");
    assertThat(events).containsExactly("item");
  }

  /** Writes {@code value} under {@code key} in the visitor's stored session. */
  private void plant(String key, byte[] value) {
    SessionRequest request = manager.begin("session=" + cookie, false, () -> false);
    assertThat(request.session().isNew()).isFalse();
    request.session().set(key, value);
    request.finish();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
    if (cookie != null) {
      builder.header("Cookie", "session=" + cookie);
    }
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    for (String setCookie : response.headers().allValues("Set-Cookie")) {
      if (setCookie.startsWith("session=")) {
        cookie = setCookie.substring("session=".length(), setCookie.indexOf(';'));
      }
    }
    return response;
  }
}
