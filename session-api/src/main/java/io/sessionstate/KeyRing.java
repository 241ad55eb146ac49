package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The secrets that sign session cookies and stored blobs. One key, the primary, signs; every other
 * key in the ring only verifies, so secrets rotate without signing anybody out: add the new key as
 * primary, keep the old one until its cookies have aged out, then remove or revoke it. A revoked
 * key never verifies, even if it is still added.
 *
 * <p>Each secret is at least 32 bytes; give every node of an application the same ring, from a
 * secret store, so a cookie signed by one node verifies on all. Separate signing keys are derived
 * from each secret for cookies and for blobs (HMAC-SHA256 over a fixed label), so a tag made for
 * one purpose never verifies for the other.
 *
 * <p>Immutable and thread-safe. {@link #toString()} names key ids, never secrets.
 *
 * <p>No parameter or result is null; the builder throws {@link NullPointerException} for a null
 * argument.
 */
public final class KeyRing {

  /** The shortest secret accepted, in bytes: 256 bits, the output size of HMAC-SHA256. */
  public static final int MIN_SECRET_BYTES = 32;

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final byte[] COOKIE_LABEL =
      "sessionstate cookie tag v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BLOB_LABEL =
      "sessionstate blob tag v1".getBytes(StandardCharsets.US_ASCII);

  private final String primaryId;
  private final Map<String, Hmac> cookieKeys;
  private final Map<String, Hmac> blobKeys;
  private final Hmac primaryCookieKey;
  private final Hmac primaryBlobKey;
  // Every id, the primary first, for a lookup by characters without cutting a substring.
  private final String[] keyIds;
  private final boolean generated;

  private KeyRing(String primaryId, Map<String, byte[]> secrets, boolean generated) {
    this.primaryId = primaryId;
    this.generated = generated;
    Map<String, Hmac> cookie = new LinkedHashMap<>();
    Map<String, Hmac> blob = new LinkedHashMap<>();
    secrets.forEach(
        (id, secret) -> {
          Hmac master = new Hmac(secret);
          cookie.put(id, new Hmac(master.tag(COOKIE_LABEL)));
          blob.put(id, new Hmac(master.tag(BLOB_LABEL)));
        });
    this.cookieKeys = Map.copyOf(cookie);
    this.blobKeys = Map.copyOf(blob);
    Hmac primaryCookie = cookieKeys.get(primaryId);
    Hmac primaryBlob = blobKeys.get(primaryId);
    if (primaryCookie == null || primaryBlob == null) {
      throw new IllegalArgumentException("primary key was never added: " + primaryId);
    }
    this.primaryCookieKey = primaryCookie;
    this.primaryBlobKey = primaryBlob;
    // The primary's own String first, so a lookup by keyIdAt hands back the very instance.
    List<String> ids = new ArrayList<>();
    ids.add(primaryId);
    secrets.keySet().stream().filter(id -> !id.equals(primaryId)).forEach(ids::add);
    this.keyIds = ids.toArray(new String[0]);
  }

  /**
   * {@return a ring of one random key that lives only in this process} Cookies it signs stop
   * verifying when the process restarts and are not accepted by other nodes; use it for development
   * and tests.
   */
  public static KeyRing generate() {
    byte[] secret = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return new KeyRing("local", Map.of("local", secret), true);
  }

  /**
   * Starts an empty ring: add at least one key.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the id of the key that signs} */
  public String primaryKeyId() {
    return primaryId;
  }

  /** {@return the ids of every key that verifies, the primary included} */
  public Set<String> keyIds() {
    return Set.copyOf(cookieKeys.keySet());
  }

  boolean isGenerated() {
    return generated;
  }

  /** The key that signs cookies. */
  Hmac primaryCookieKey() {
    return primaryCookieKey;
  }

  /** The key that tags blobs. */
  Hmac primaryBlobKey() {
    return primaryBlobKey;
  }

  /**
   * The id of the ring's key spelled by {@code s[from, to)}, as the ring holds it (so the primary's
   * is {@link #primaryKeyId()} itself), or null when the ring has none such.
   */
  @Nullable String keyIdAt(String s, int from, int to) {
    int length = to - from;
    for (String id : keyIds) {
      if (id.length() == length && s.regionMatches(from, id, 0, length)) {
        return id;
      }
    }
    return null;
  }

  /**
   * The id of this ring whose bytes are {@code length} bytes of {@code bytes} from {@code from} (an
   * absolute index), or null: as {@link #keyIdAt(String, int, int)}, for a blob's header.
   */
  @Nullable String keyIdAt(ByteBuffer bytes, int from, int length) {
    for (String id : keyIds) {
      if (id.length() == length && matches(id, bytes, from)) {
        return id;
      }
    }
    return null;
  }

  private static boolean matches(String id, ByteBuffer bytes, int from) {
    for (int i = 0; i < id.length(); i++) {
      if (bytes.get(from + i) != id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Nullable Hmac cookieKey(String keyId) {
    return cookieKeys.get(keyId);
  }

  @Nullable Hmac blobKey(String keyId) {
    return blobKeys.get(keyId);
  }

  @Override
  public String toString() {
    return "KeyRing{primary=" + primaryId + ", keys=" + cookieKeys.keySet() + "}";
  }

  /** Builds a {@link KeyRing}; every setter validates its arguments at once. */
  public static final class Builder {
    private final Map<String, byte[]> secrets = new LinkedHashMap<>();
    private final Set<String> revoked = new LinkedHashSet<>();
    private @Nullable String primaryId;

    private Builder() {}

    /**
     * Adds a key that verifies. The first key added is the primary unless {@link #primary} names
     * another.
     *
     * @param keyId 1 to 32 characters of {@code A-Z a-z 0-9 _ -}; it travels in every cookie
     * @param secret at least {@value KeyRing#MIN_SECRET_BYTES} random bytes; copied
     * @return this builder
     */
    public Builder addKey(String keyId, byte[] secret) {
      checkKeyId(keyId);
      requireNonNull(secret, "secret");
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "secret for key "
                + keyId
                + " must be at least "
                + MIN_SECRET_BYTES
                + " bytes: "
                + secret.length);
      }
      if (secrets.containsKey(keyId)) {
        throw new IllegalArgumentException("key id added twice: " + keyId);
      }
      secrets.put(keyId, secret.clone());
      return this;
    }

    /**
     * Makes {@code keyId}, which must be added, the key that signs.
     *
     * @param keyId the id of an added key
     * @return this builder
     */
    public Builder primary(String keyId) {
      checkKeyId(keyId);
      this.primaryId = keyId;
      return this;
    }

    /**
     * Revokes a key: it never verifies a cookie or a blob again, whether or not it is added. Use it
     * when a secret has leaked.
     *
     * @param keyId the id of the key to revoke
     * @return this builder
     */
    public Builder revoke(String keyId) {
      checkKeyId(keyId);
      revoked.add(keyId);
      return this;
    }

    /**
     * Builds the ring.
     *
     * @return the ring, immutable and thread-safe
     * @throws IllegalArgumentException if no key is added, the primary is not added, or the primary
     *     is revoked
     */
    public KeyRing build() {
      Map<String, byte[]> live = new LinkedHashMap<>(secrets);
      live.keySet().removeAll(revoked);
      String primary =
          primaryId != null ? primaryId : secrets.keySet().stream().findFirst().orElse(null);
      if (primary == null) {
        throw new IllegalArgumentException("key ring needs at least one key: none was added");
      }
      if (revoked.contains(primary)) {
        throw new IllegalArgumentException("primary key is revoked: " + primary);
      }
      if (!live.containsKey(primary)) {
        throw new IllegalArgumentException("primary key was never added: " + primary);
      }
      // The secrets stay in the builder (a second build must give the same ring); the ring itself
      // keeps only keys derived from them.
      return new KeyRing(primary, live, false);
    }

    private static void checkKeyId(String keyId) {
      requireNonNull(keyId, "keyId");
      if (!KEY_ID.matcher(keyId).matches()) {
        throw new IllegalArgumentException(
            "key id must be 1 to 32 characters of A-Z a-z 0-9 _ -: \"" + keyId + "\"");
      }
    }
  }
}
