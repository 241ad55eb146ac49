package io.sessionstate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A value the codec cannot decode costs that value, not the request: {@link Session#getObject}
 * throws naming the key and the class, the listener hears of it once per key per request, the other
 * values are untouched, and the bytes stay until the caller removes them.
 */
class UnreadableValueTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();

  /** Three bytes no codec wrote, stored under a valid integrity tag by the library itself. */
  private static final byte[] BAD = {1, 2, 3};

  /**
   * Writes a value's text after a 'V'; refuses anything else as the shipped codecs do, naming the
   * class and never the value.
   */
  private static final ValueCodec TEXT_CODEC =
      new ValueCodec() {
        @Override
        public byte[] encode(Object value) {
          return ("V" + value).getBytes(UTF_8);
        }

        @Override
        public <T> T decode(byte[] bytes, Class<T> type) {
          if (bytes.length == 0 || bytes[0] != 'V') {
            throw new SessionDataException(
                "cannot decode value as " + type.getTypeName() + ": not written by this codec");
          }
          return type.cast(new StringBuilder(new String(bytes, 1, bytes.length - 1, UTF_8)));
        }
      };

  private final TestStore store = TestStore.networked();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<SessionDataException> problems = new CopyOnWriteArrayList<>();
  private SessionManager manager = manager(TEXT_CODEC);

  private SessionManager manager(ValueCodec codec) {
    SessionListener listener =
        new SessionListener() {
          @Override
          public void unreadableValue(String sessionId, String key, SessionDataException problem) {
            events.add(sessionId + " " + key);
            problems.add(problem);
          }
        };
    return SessionManager.builder()
        .store(store)
        .keyRing(RING)
        .clock(new StoreClock(store))
        .valueCodec(codec)
        .listener(listener)
        .build();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** A browser whose stored session holds a readable "name", a string "visits" and a bad "cart". */
  private Requests browserWithBadCart(String[] sessionId) {
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.setObject("name", "Ada");
          s.setString("visits", "7");
          s.set("cart", BAD);
          sessionId[0] = s.id();
        });
    return browser;
  }

  @Test
  void getObject_undecodableValue_throwsNamingKeyAndClass_otherKeysIntact() {
    Requests browser = browserWithBadCart(new String[1]);
    browser.run(
        s -> {
          assertThatThrownBy(() -> s.getObject("cart", StringBuilder.class))
              .isInstanceOf(SessionDataException.class)
              .hasMessage(
                  "cannot read session value \"cart\" as java.lang.StringBuilder: cannot decode"
                      + " value as java.lang.StringBuilder: not written by this codec")
              .cause()
              .isInstanceOf(SessionDataException.class);
          assertThat(s.getObject("name", StringBuilder.class).map(Object::toString))
              .contains("Ada");
          assertThat(s.getString("visits")).contains("7");
          assertThat(s.keys()).containsExactly("name", "visits", "cart");
          assertThat(s.isAvailable()).isTrue();
        });
  }

  @Test
  void getObject_undecodableValue_listenerHearsOncePerKeyPerRequest() {
    String[] sessionId = new String[1];
    Requests browser = browserWithBadCart(sessionId);
    List<SessionDataException> thrown = new ArrayList<>();
    browser.run(
        s -> {
          for (int i = 0; i < 3; i++) {
            try {
              s.getObject("cart", StringBuilder.class);
            } catch (SessionDataException e) {
              thrown.add(e);
            }
          }
          s.getObject("name", StringBuilder.class);
        });
    assertThat(thrown).hasSize(3);
    assertThat(events).containsExactly(sessionId[0] + " cart");
    assertThat(problems.get(0)).hasMessage(thrown.get(0).getMessage());

    browser.run(
        s ->
            assertThatThrownBy(() -> s.getObject("cart", Object.class))
                .isInstanceOf(SessionDataException.class)
                .hasMessageStartingWith("cannot read session value \"cart\" as java.lang.Object:"));
    assertThat(events).containsExactly(sessionId[0] + " cart", sessionId[0] + " cart");
  }

  @Test
  void getObject_undecodableValue_bytesStayThroughCommits() {
    Requests browser = browserWithBadCart(new String[1]);
    int saves = store.saves.get();
    browser.run(
        s ->
            assertThatThrownBy(() -> s.getObject("cart", StringBuilder.class))
                .isInstanceOf(SessionDataException.class));
    assertThat(store.saves.get()).as("a failed read changes nothing").isEqualTo(saves);

    browser.run(
        s -> {
          assertThatThrownBy(() -> s.getObject("cart", StringBuilder.class))
              .isInstanceOf(SessionDataException.class);
          s.setString("visits", "8");
        });
    assertThat(store.saves.get()).isEqualTo(saves + 1);
    browser.run(
        s -> {
          assertThat(s.tryGetValue("cart")).hasValueSatisfying(v -> assertThat(v).isEqualTo(BAD));
          assertThat(s.getString("visits")).contains("8");
        });
  }

  @Test
  void getObject_undecodableValueRemovedByCaller_goneAfterCommit_otherKeysIntact() {
    Requests browser = browserWithBadCart(new String[1]);
    browser.run(
        s -> {
          try {
            s.getObject("cart", StringBuilder.class);
          } catch (SessionDataException e) {
            s.remove("cart");
          }
          assertThat(s.getObject("cart", StringBuilder.class)).isEmpty();
        });
    browser.run(
        s -> {
          assertThat(s.keys()).containsExactly("name", "visits");
          assertThat(s.getObject("name", StringBuilder.class).map(Object::toString))
              .contains("Ada");
        });
    assertThat(events).hasSize(1);
  }

  @Test
  void getObject_codecThrowsItsOwnException_wrappedNamingOnlyItsClass() {
    manager.close();
    ValueCodec quoting =
        new ValueCodec() {
          @Override
          public byte[] encode(Object value) {
            return TEXT_CODEC.encode(value);
          }

          @Override
          public <T> T decode(byte[] bytes, Class<T> type) {
            throw new IllegalArgumentException("bad value: " + Arrays.toString(bytes));
          }
        };
    manager = manager(quoting);
    Requests browser = browserWithBadCart(new String[1]);
    browser.run(
        s ->
            assertThatThrownBy(() -> s.getObject("cart", StringBuilder.class))
                .isInstanceOf(SessionDataException.class)
                .hasMessage(
                    "cannot read session value \"cart\" as java.lang.StringBuilder: the value"
                        + " codec threw java.lang.IllegalArgumentException")
                .hasCauseInstanceOf(IllegalArgumentException.class));
    assertThat(events).hasSize(1);
  }

  @Test
  void getObject_longKey_abbreviatedInTheMessage() {
    String key = "k".repeat(100);
    Requests browser = new Requests(manager);
    browser.run(s -> s.set(key, BAD));
    browser.run(
        s ->
            assertThatThrownBy(() -> s.getObject(key, StringBuilder.class))
                .isInstanceOf(SessionDataException.class)
                .hasMessageStartingWith(
                    "cannot read session value \"" + "k".repeat(40) + "...\" as java.lang."));
  }
}
