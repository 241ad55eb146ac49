package io.sessionstate.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The secrets that sign cookies and stored blobs: the {@code sessionstate.key-ring.*} properties,
 * which {@link SessionStateProperties} holds. Not thread-safe: Spring Boot binds them once at
 * startup.
 */
public class KeyRingProperties {

  /**
   * Keys by id (1 to 32 characters of A-Z a-z 0-9 _ -), each a Base64 secret of at least 32 bytes.
   * Required for a store other processes share (redis, postgresql); with the memory store and no
   * key, a key is generated for this process.
   */
  private Map<String, String> keys = new LinkedHashMap<>();

  /** The id of the key that signs. Required when more than one key is given. */
  private @Nullable String primary;

  /** Ids of keys that never verify again (a leaked secret). */
  private List<String> revoked = new ArrayList<>();

  /** Properties at their defaults, for Spring Boot to bind. */
  public KeyRingProperties() {}

  /** {@return the value of {@code sessionstate.key-ring.keys}} */
  public Map<String, String> getKeys() {
    return keys;
  }

  /**
   * Sets {@code sessionstate.key-ring.keys}.
   *
   * @param keys the value
   */
  public void setKeys(Map<String, String> keys) {
    this.keys = keys;
  }

  /** {@return the value of {@code sessionstate.key-ring.primary}, or null when it is not set} */
  public @Nullable String getPrimary() {
    return primary;
  }

  /**
   * Sets {@code sessionstate.key-ring.primary}.
   *
   * @param primary the value, or null for the default
   */
  public void setPrimary(@Nullable String primary) {
    this.primary = primary;
  }

  /** {@return the value of {@code sessionstate.key-ring.revoked}} */
  public List<String> getRevoked() {
    return revoked;
  }

  /**
   * Sets {@code sessionstate.key-ring.revoked}.
   *
   * @param revoked the value
   */
  public void setRevoked(List<String> revoked) {
    this.revoked = revoked;
  }
}
