package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every builder rejects a bad option at once, with a message that names it and its value. */
class OptionsValidationTest {
  private static final byte[] SECRET = new byte[32];

  @Test
  void manager_idleTimeoutNotPositive_rejected() {
    assertThatThrownBy(() -> SessionManager.builder().idleTimeout(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be positive: PT-5S");
    assertThatThrownBy(() -> SessionManager.builder().idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be positive: PT0S");
    assertThatThrownBy(() -> SessionManager.builder().idleTimeout(Duration.ofNanos(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be at least 1 millisecond: PT0.000000005S");
    assertThatThrownBy(() -> SessionManager.builder().idleTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("idleTimeout");
  }

  @Test
  void manager_idleTimeoutRejected_leavesTheBuilderAsItWas() {
    SessionManager.Builder unset = SessionManager.builder().store(TestStore.inProcess());
    assertThatThrownBy(() -> unset.idleTimeout(Duration.ofNanos(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be at least 1 millisecond: PT0.000000005S");
    try (SessionManager manager = unset.build()) {
      assertThat(manager.idleTimeout()).isEqualTo(SessionManager.DEFAULT_IDLE_TIMEOUT);
    }

    SessionManager.Builder set =
        SessionManager.builder().store(TestStore.inProcess()).idleTimeout(Duration.ofMinutes(5));
    assertThatThrownBy(() -> set.idleTimeout(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be at least 1 millisecond: PT0.000999999S");
    try (SessionManager manager = set.build()) {
      assertThat(manager.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void manager_ioTimeoutAndAbsoluteLifetimeNotPositive_rejected() {
    assertThatThrownBy(() -> SessionManager.builder().ioTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ioTimeout must be positive: PT0S");
    assertThatThrownBy(() -> SessionManager.builder().absoluteLifetime(Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("absoluteLifetime must be positive: PT-1H");
    SessionManager.builder().absoluteLifetime(null); // null turns it off
  }

  @Test
  void manager_ioTimeoutBeyondWhatATimerCounts_rejected() {
    assertThatThrownBy(() -> SessionManager.builder().ioTimeout(Duration.ofDays(365L * 300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ioTimeout must be at most PT2562047H47M16.854775807S, or"
                + " SessionManager.INFINITE_TIMEOUT: PT2628000H");
  }

  @Test
  void manager_sizes_rejected() {
    assertThatThrownBy(() -> SessionManager.builder().maxValueSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxValueSize must be positive: 0");
    assertThatThrownBy(() -> SessionManager.builder().maxSessionSize(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSessionSize must be between 30 and 1073741823 bytes: 10");
  }

  @Test
  void manager_withoutStore_rejected() {
    assertThatThrownBy(() -> SessionManager.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store is required: call store(...) before build()");
    assertThatThrownBy(() -> SessionManager.builder().store(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("store");
  }

  @Test
  void manager_defaults() {
    SessionManager manager = SessionManager.builder().store(TestStore.inProcess()).build();
    assertThat(manager.idleTimeout()).isEqualTo(Duration.ofMinutes(20));
    assertThat(manager.ioTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(manager.absoluteLifetime()).isEmpty();
    assertThat(manager.cookieOptions()).isSameAs(CookieOptions.defaults());
    manager.close();
  }

  @Test
  void manager_commitModeAndTombstoneTtl_rejected() {
    assertThatThrownBy(() -> SessionManager.builder().commitMode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("commitMode");
    assertThatThrownBy(() -> SessionManager.builder().tombstoneTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tombstoneTtl must be positive: PT0S");
    assertThatThrownBy(() -> SessionManager.builder().tombstoneTtl(Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tombstoneTtl must be at least 1 millisecond: PT0.00000001S");
    assertThatThrownBy(
            () ->
                SessionManager.builder()
                    .store(TestStore.inProcess())
                    .tombstoneTtl(Duration.ofSeconds(30))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "tombstoneTtl must be longer than ioTimeout (PT1M), which bounds a commit: PT30S");
  }

  @Test
  void manager_mergeOrStrictOverAStoreWithoutVersions_rejected() {
    for (CommitMode mode : new CommitMode[] {CommitMode.MERGE, CommitMode.STRICT}) {
      assertThatThrownBy(
              () -> SessionManager.builder().store(TestStore.inProcess()).commitMode(mode).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "commitMode "
                  + mode
                  + " needs a store with versions (VersionedSessionStore): the store test has"
                  + " none");
    }
  }

  @Test
  void manager_tombstoneTtl_defaultsToTheIoTimeoutPlusFiveMinutes() {
    try (SessionManager manager = SessionManager.builder().store(TestStore.inProcess()).build()) {
      assertThat(manager.commitMode()).isEqualTo(CommitMode.COHERENT);
      assertThat(manager.tombstoneTtl()).isEqualTo(Duration.ofMinutes(6));
    }
    try (SessionManager manager =
        SessionManager.builder()
            .store(TestStore.inProcess())
            .ioTimeout(Duration.ofSeconds(10))
            .build()) {
      assertThat(manager.tombstoneTtl()).isEqualTo(Duration.ofSeconds(310));
    }
    try (SessionManager manager =
        SessionManager.builder()
            .store(TestStore.inProcess())
            .ioTimeout(SessionManager.INFINITE_TIMEOUT)
            .build()) {
      assertThat(manager.tombstoneTtl()).isEqualTo(Duration.ofMinutes(6));
    }
    try (SessionManager manager =
        SessionManager.builder()
            .store(TestStore.inProcess())
            .ioTimeout(SessionManager.INFINITE_TIMEOUT)
            .tombstoneTtl(Duration.ofSeconds(1))
            .build()) {
      assertThat(manager.tombstoneTtl()).isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void cookie_badName_rejected() {
    assertThatThrownBy(() -> CookieOptions.builder().name("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie name must be a non-empty RFC 6265 token: \"a b\"");
    assertThatThrownBy(() -> CookieOptions.builder().name("a=b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie name must be a non-empty RFC 6265 token: \"a=b\"");
  }

  @Test
  void cookie_badPathAndDomain_rejected() {
    assertThatThrownBy(() -> CookieOptions.builder().path("app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie path must start with / and hold no ';' or control characters: \"app\"");
    assertThatThrownBy(() -> CookieOptions.builder().path("/a;Domain=evil"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"/a;Domain=evil\"");
    assertThatThrownBy(() -> CookieOptions.builder().domain("evil.com; Secure"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cookie domain must be a host name of letters, digits, '.' and '-': \"evil.com;"
                + " Secure\"");
  }

  @Test
  void cookie_sameSiteNoneWithoutSecure_rejected() {
    assertThatThrownBy(() -> CookieOptions.builder().sameSite(CookieOptions.SameSite.NONE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sameSite NONE requires securePolicy ALWAYS, since browsers reject SameSite=None"
                + " cookies that are not Secure: securePolicy is SAME_AS_REQUEST");
  }

  @Test
  void cookie_hostOrSecurePrefixWithoutSecureAlways_rejected() {
    assertThatThrownBy(() -> CookieOptions.builder().name("__Host-session").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a cookie named __Host-session requires securePolicy ALWAYS, since browsers reject a"
                + " __Host- or __Secure- cookie that is not Secure: securePolicy is SAME_AS_REQUEST");
    assertThatThrownBy(
            () ->
                CookieOptions.builder()
                    .name("__Secure-s")
                    .securePolicy(CookieOptions.SecurePolicy.NEVER)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a cookie named __Secure-s requires securePolicy ALWAYS");
  }

  @Test
  void cookie_hostPrefixWithDomain_rejected() {
    assertThatThrownBy(
            () ->
                CookieOptions.builder()
                    .name("__Host-s")
                    .securePolicy(CookieOptions.SecurePolicy.ALWAYS)
                    .domain("example.com")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a __Host- cookie must have path / and no domain: path=/, domain=example.com");
  }

  @Test
  void cookie_defaults() {
    CookieOptions o = CookieOptions.defaults();
    assertThat(o.name()).isEqualTo("session");
    assertThat(o.path()).isEqualTo("/");
    assertThat(o.domain()).isEmpty();
    assertThat(o.httpOnly()).isTrue();
    assertThat(o.sameSite()).isEqualTo(CookieOptions.SameSite.LAX);
    assertThat(o.securePolicy()).isEqualTo(CookieOptions.SecurePolicy.SAME_AS_REQUEST);
  }

  @Test
  void keyRing_shortSecret_rejected() {
    assertThatThrownBy(() -> KeyRing.builder().addKey("k1", new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret for key k1 must be at least 32 bytes: 16");
  }

  @Test
  void keyRing_badKeyId_rejected() {
    assertThatThrownBy(() -> KeyRing.builder().addKey("k.1", SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key id must be 1 to 32 characters of A-Z a-z 0-9 _ -: \"k.1\"");
  }

  @Test
  void keyRing_emptyDuplicateUnknownOrRevokedPrimary_rejected() {
    assertThatThrownBy(() -> KeyRing.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key ring needs at least one key: none was added");
    assertThatThrownBy(() -> KeyRing.builder().addKey("k1", SECRET).addKey("k1", SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key id added twice: k1");
    assertThatThrownBy(() -> KeyRing.builder().addKey("k1", SECRET).primary("k2").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primary key was never added: k2");
    assertThatThrownBy(() -> KeyRing.builder().addKey("k1", SECRET).revoke("k1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primary key is revoked: k1");
  }

  @Test
  void keyRing_builtTwiceFromOneBuilder_bothRingsVerifyEachOther() {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    KeyRing.Builder builder = KeyRing.builder().addKey("k1", secret);
    CookieProtector first = new CookieProtector(builder.build());
    CookieProtector second = new CookieProtector(builder.build());
    CookieProtector zeros =
        new CookieProtector(KeyRing.builder().addKey("k1", new byte[32]).build());
    String cookie = second.protect(second.newSessionKey());
    assertThat(first.unprotect(cookie)).isPresent();
    assertThat(zeros.unprotect(cookie)).isEmpty();
  }

  @Test
  void keyRing_toStringNamesIdsNeverSecrets() {
    byte[] secret = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".getBytes();
    KeyRing ring = KeyRing.builder().addKey("k1", secret).build();
    assertThat(ring.toString()).isEqualTo("KeyRing{primary=k1, keys=[k1]}");
    secret[0] = 'Z'; // the ring keeps its own copy
    CookieProtector p = new CookieProtector(ring);
    String cookie = p.protect(p.newSessionKey());
    assertThat(
            new CookieProtector(
                    KeyRing.builder()
                        .addKey("k1", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".getBytes())
                        .build())
                .unprotect(cookie))
        .isPresent();
  }
}
