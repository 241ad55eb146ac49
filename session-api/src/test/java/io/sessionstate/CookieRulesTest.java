package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test or more for every rule of the cookie and the session key (DESIGN.md section 4). */
class CookieRulesTest {
  private static final byte[] SECRET_1 = "0123456789abcdef0123456789abcdef".getBytes();
  private static final byte[] SECRET_2 = "fedcba9876543210fedcba9876543210".getBytes();

  private final TestStore store = TestStore.inProcess();

  private SessionManager manager(KeyRing ring) {
    return SessionManager.builder().store(store).keyRing(ring).build();
  }

  private static KeyRing ring(String id, byte[] secret) {
    return KeyRing.builder().addKey(id, secret).build();
  }

  @Test
  void sessionKey_128RandomBits_noDuplicatesInAMillion() {
    CookieProtector protector = new CookieProtector(ring("k1", SECRET_1));
    Set<String> keys = new HashSet<>(2_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      String key = protector.newSessionKey();
      if (!keys.add(key)) {
        throw new AssertionError("duplicate session key after " + i + " keys");
      }
    }
    assertThat(keys).hasSize(1_000_000);
    assertThat(Base64.getUrlDecoder().decode(keys.iterator().next())).hasSize(16);
  }

  @Test
  void cookie_carriesKeyKeyIdAndTag_andVerifies() {
    CookieProtector protector = new CookieProtector(ring("k1", SECRET_1));
    String key = protector.newSessionKey();
    String cookie = protector.protect(key);
    assertThat(cookie).matches("[A-Za-z0-9_-]{22}\\.k1\\.[A-Za-z0-9_-]{43}");
    assertThat(cookie).startsWith(key + ".k1.");
    assertThat(protector.unprotect(cookie)).contains(key);
  }

  @Test
  void begin_sessionCookieAfterAJsonValuedCookie_loadsTheSession() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("cart", "3 items"));

    SessionRequest request =
        manager.begin("consent={\"ads\":false}; session=" + browser.cookie, false, () -> false);

    assertThat(request.session().getString("cart")).contains("3 items");
  }

  @Test
  void cookie_defaults_httpOnlySameSiteLaxPathRootNoDomainNoMaxAge() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    SessionResponse response = new Requests(manager).run(s -> s.setString("a", "1"));
    assertThat(response.setCookie())
        .get()
        .asString()
        .matches("session=[A-Za-z0-9_.-]+; Path=/; HttpOnly; SameSite=Lax")
        .doesNotContain("Max-Age", "Expires", "Domain", "Secure");
  }

  @Test
  void cookie_secure_sameAsRequestByDefault_alwaysOrNeverByOption() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    SessionRequest https = manager.begin(null, true, () -> false);
    https.session().setString("a", "1");
    assertThat(https.finish().setCookie()).get().asString().contains("; Secure;");

    SessionManager always =
        SessionManager.builder()
            .store(TestStore.inProcess())
            .keyRing(ring("k1", SECRET_1))
            .cookie(
                CookieOptions.builder()
                    .name("__Host-sid")
                    .securePolicy(CookieOptions.SecurePolicy.ALWAYS)
                    .sameSite(CookieOptions.SameSite.STRICT)
                    .build())
            .build();
    SessionRequest http = always.begin(null, false, () -> false);
    http.session().setString("a", "1");
    assertThat(http.finish().setCookie())
        .get()
        .asString()
        .startsWith("__Host-sid=")
        .endsWith("; Path=/; Secure; HttpOnly; SameSite=Strict");

    SessionManager never =
        SessionManager.builder()
            .store(TestStore.inProcess())
            .keyRing(ring("k1", SECRET_1))
            .cookie(
                CookieOptions.builder()
                    .securePolicy(CookieOptions.SecurePolicy.NEVER)
                    .domain("example.com")
                    .path("/app")
                    .httpOnly(false)
                    .build())
            .build();
    SessionRequest https2 = never.begin(null, true, () -> false);
    https2.session().setString("a", "1");
    assertThat(https2.finish().setCookie())
        .get()
        .asString()
        .endsWith("; Path=/app; Domain=example.com; SameSite=Lax");
  }

  @Test
  void cookie_establishingResponse_carriesNoCacheHeaders_othersCarryNone() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    SessionResponse first = browser.run(s -> s.setString("a", "1"));
    assertThat(first.headers())
        .containsEntry("Cache-Control", "no-cache, no-store")
        .containsEntry("Pragma", "no-cache")
        .containsEntry("Expires", "-1")
        .containsKey("Set-Cookie");
    SessionResponse second = browser.run(s -> s.setString("a", "2"));
    assertThat(second.headers()).isEmpty();
    assertThat(second.toString()).isEqualTo("SessionResponse{setCookie=none}");
    assertThat(first.toString()).doesNotContain(browser.cookie);
  }

  @Test
  void cookie_keyRotation_oldKeyStillVerifies_newKeySigns() {
    SessionManager before = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(before);
    browser.run(s -> s.setString("a", "1"));
    String oldCookie = browser.cookie;

    KeyRing rotated =
        KeyRing.builder().addKey("k2", SECRET_2).addKey("k1", SECRET_1).primary("k2").build();
    SessionManager after = manager(rotated);
    Requests sameBrowser = new Requests(after);
    sameBrowser.cookie = oldCookie;
    sameBrowser.run(s -> assertThat(s.getString("a")).contains("1"));
    SessionResponse fresh = new Requests(after).run(s -> s.setString("b", "1"));
    assertThat(Requests.cookieValue(fresh)).get().asString().contains(".k2.");
  }

  @Test
  void cookie_sessionKeyWithAnyLastCharacter_verifiesOnlyInItsOneCanonicalSpelling() {
    CookieProtector protector = new CookieProtector(ring("k1", SECRET_1));
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int accepted = 0;
    for (char last : alphabet.toCharArray()) {
      String key = "abcdefghijklmnopqrstu" + last;
      // Signed correctly, so only the key's own spelling decides.
      String cookie = protector.protect(key);
      boolean canonical =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(Base64.getUrlDecoder().decode(key))
              .equals(key);
      assertThat(protector.unprotect(cookie))
          .as(key)
          .isEqualTo(canonical ? Optional.of(key) : Optional.empty());
      accepted += canonical ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(4);
  }

  @Test
  void cookie_nonAsciiOrNonBase64UrlCharacterAnywhere_rejected() {
    CookieProtector protector = new CookieProtector(ring("k1", SECRET_1));
    String cookie = protector.protect(protector.newSessionKey());
    for (int i = 0; i < cookie.length(); i++) {
      if (cookie.charAt(i) == '.') {
        continue;
      }
      for (char bad : new char[] {'+', '/', '=', ' ', '\u00e9', '\u0141', '\uffff', 0x7f}) {
        String tampered = cookie.substring(0, i) + bad + cookie.substring(i + 1);
        assertThat(protector.unprotect(tampered)).as(tampered).isEmpty();
      }
    }
    assertThat(protector.unprotect(cookie)).isPresent();
  }

  @Test
  void cookie_revokedKeyNeverVerifies() {
    CookieProtector old = new CookieProtector(ring("k1", SECRET_1));
    String cookie = old.protect(old.newSessionKey());
    KeyRing revoked =
        KeyRing.builder().addKey("k2", SECRET_2).addKey("k1", SECRET_1).revoke("k1").build();
    assertThat(new CookieProtector(revoked).unprotect(cookie)).isEmpty();
    assertThat(revoked.keyIds()).containsExactly("k2");
  }

  @Test
  void cookie_tampered_100000Variants_noneAcceptedAndNoStoreLookup() {
    KeyRing ring = KeyRing.builder().addKey("k1", SECRET_1).addKey("k0", SECRET_2).build();
    SessionManager manager = manager(ring);
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    String good = browser.cookie;
    CookieProtector otherRing = new CookieProtector(ring("k1", SECRET_2));
    CookieProtector revokedKey = new CookieProtector(ring("k9", SECRET_1));
    CookieProtector secondaryKey =
        new CookieProtector(KeyRing.builder().addKey("k0", SECRET_1).build());
    int loadsBefore = store.loads.get();
    Random random = new Random(42);
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      String bad =
          switch (i % 8) {
            case 0 -> flipBit(good, random);
            case 1 -> good.substring(0, random.nextInt(good.length()));
            case 2 -> otherRing.protect(good.substring(0, 22)); // right key id, wrong secret
            case 3 -> revokedKey.protect(good.substring(0, 22)); // key id not in the ring
            case 4 -> secondaryKey.protect(good.substring(0, 22)); // id k0 signed by k1's secret
            case 5 -> randomString(random, random.nextInt(120));
            case 6 -> good + randomToken(random, 1 + random.nextInt(4)); // longer than any tag
            default -> swapKey(good, otherRing.newSessionKey());
          };
      if (bad.equals(good)) {
        continue;
      }
      SessionRequest request = manager.begin("session=" + bad, false, () -> false);
      Session session = request.session();
      if (!session.keys().isEmpty()) {
        accepted++;
      }
      request.finish();
    }
    assertThat(accepted).isZero();
    assertThat(store.loads.get()).isEqualTo(loadsBefore);
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
  }

  private static String flipBit(String cookie, Random random) {
    char[] chars = cookie.toCharArray();
    int i = random.nextInt(chars.length);
    chars[i] = (char) (chars[i] ^ (1 << random.nextInt(7)));
    return new String(chars);
  }

  private static String swapKey(String cookie, String otherKey) {
    return otherKey + cookie.substring(22);
  }

  /** Characters that stay inside one cookie value (no separators, which would split it). */
  private static String randomToken(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String randomString(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=;\" %";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void cookie_badCookieIgnored_freshSessionStarts_valueNeverEchoed() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    String bad = "forged-value-0123456789";
    SessionRequest request = manager.begin("other=1; session=" + bad, false, () -> false);
    request.session().setString("a", "1");
    SessionResponse response = request.finish();
    assertThat(response.setCookie()).get().asString().doesNotContain(bad);
    assertThat(response.headers().values()).noneMatch(v -> v.contains(bad));
  }

  @Test
  void cookie_headerParsing_findsOurCookieAmongOthersAndQuoted() {
    assertThat(CookieHeaderParser.values("a=1; session=xyz; b=2", "session"))
        .containsExactly("xyz");
    assertThat(CookieHeaderParser.values("session=\"q\";session=r", "session"))
        .containsExactly("q", "r");
    assertThat(CookieHeaderParser.values("mysession=1; session", "session")).isEmpty();
    assertThat(CookieHeaderParser.values("", "session")).isEmpty();
  }

  @Test
  void cookie_firstVerifyingOfSeveralWins() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    SessionRequest request =
        manager.begin("session=stale; session=" + browser.cookie, false, () -> false);
    assertThat(request.session().getString("a")).contains("1");
  }

  @Test
  void cookieValue_beginWithCookieValue_sameAsHeader() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    assertThat(
            manager
                .beginWithCookieValue(browser.cookie, false, () -> false)
                .session()
                .getString("a"))
        .contains("1");
    assertThat(manager.beginWithCookieValue("junk", false, () -> false).session().keys()).isEmpty();
  }

  @Test
  void regenerateId_keepsContents_deletesOldEntry_reissuesCookie() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    String oldCookie = browser.cookie;
    SessionResponse response = browser.run(Session::regenerateId);
    assertThat(Requests.cookieValue(response)).get().isNotEqualTo(oldCookie);
    assertThat(response.headers()).containsKey("Cache-Control");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.replaces.get()).isEqualTo(1); // one round trip where the store can
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
    Requests attacker = new Requests(manager);
    attacker.cookie = oldCookie;
    attacker.run(s -> assertThat(s.keys()).isEmpty());
  }

  @Test
  void regenerateId_afterResponseStarted_throws() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    SessionRequest request = manager.begin("session=" + browser.cookie, false, () -> true);
    assertThatThrownBy(() -> request.session().regenerateId())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("The session cannot be given a new key after the response has");
  }

  @Test
  void invalidate_deletesEntryNow_andExpiresTheCookie() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    String oldCookie = browser.cookie;
    SessionRequest request = manager.begin("session=" + oldCookie, false, () -> false);
    request.session().invalidate();
    assertThat(store.size()).isZero(); // before the request finishes
    assertThat(request.session().keys()).isEmpty();
    SessionResponse response = request.finish();
    assertThat(response.setCookie())
        .get()
        .asString()
        .isEqualTo(
            "session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly;"
                + " SameSite=Lax");
  }

  @Test
  void invalidate_thenSet_startsANewSessionUnderANewKey() {
    SessionManager manager = manager(ring("k1", SECRET_1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    String oldCookie = browser.cookie;
    SessionResponse response =
        browser.run(
            s -> {
              s.invalidate();
              s.setString("b", "2");
            });
    assertThat(Requests.cookieValue(response)).get().isNotEqualTo(oldCookie);
    browser.run(s -> assertThat(s.keys()).containsExactly("b"));
  }

  @Test
  void invalidate_storeDown_throwsAndKeepsNothingHalfDone() {
    TestStore networked = TestStore.networked();
    SessionManager manager =
        SessionManager.builder()
            .store(networked)
            .keyRing(ring("k1", SECRET_1))
            .ioTimeout(Duration.ofSeconds(5))
            .build();
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    networked.failure.set(new IllegalStateException("down"));
    SessionRequest request = browser.begin();
    assertThatThrownBy(() -> request.session().invalidate())
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("test store failed to delete: java.lang.IllegalStateException: down");
    networked.failure.set(null);
    manager.close();
  }

  @Test
  void blobIntegrity_onForNetworkedStores_offForInProcess() {
    assertThat(manager(ring("k1", SECRET_1)).blobIntegrity()).isFalse();
    assertThat(
            SessionManager.builder()
                .store(TestStore.networked())
                .keyRing(ring("k1", SECRET_1))
                .build()
                .blobIntegrity())
        .isTrue();
  }

  @Test
  void blobIntegrity_blobWrittenBehindOurBack_loadsEmpty() {
    TestStore networked = TestStore.networked();
    SessionManager manager =
        SessionManager.builder().store(networked).keyRing(ring("k1", SECRET_1)).build();
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("role", "user"));
    String key = networked.keys().iterator().next();
    // An attacker with store access writes a well-formed but untagged blob granting admin.
    byte[] forged =
        BlobFormat.encode(
            new BlobFormat.Contents(
                new byte[16],
                0,
                new java.util.LinkedHashMap<>(java.util.Map.of("role", "admin".getBytes()))),
            null,
            key);
    networked.put(key, forged);
    browser.run(s -> assertThat(s.getString("role")).isEmpty());
    // A blob tagged for another session's key does not verify under this one either.
    browser.run(s -> s.setString("role", "user"));
    SessionRequest other = manager.begin(null, false, () -> false);
    other.session().setString("role", "admin");
    other.finish();
    String otherKey =
        networked.keys().stream().filter(k -> !k.equals(key)).findFirst().orElseThrow();
    networked.put(key, networked.peek(otherKey).get());
    browser.run(s -> assertThat(s.getString("role")).isEmpty());
    manager.close();
  }

  @Test
  void keyRing_generatedWhenNoneConfigured() {
    SessionManager manager = SessionManager.builder().store(store).build();
    SessionResponse response = new Requests(manager).run(s -> s.setString("a", "1"));
    assertThat(Requests.cookieValue(response)).get().asString().contains(".local.");
    assertThat(List.of(manager.toString())).noneMatch(s -> s.contains("0123456789abcdef"));
  }
}
