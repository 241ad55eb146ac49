package io.sessionstate.servlet;

import io.sessionstate.Session;
import io.sessionstate.SessionDataException;
import io.sessionstate.ValueCodec;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpSession} over a sessionstate {@link Session}, for one request. Attribute values are
 * encoded by the manager's {@link ValueCodec} when set and decoded when read, so each {@code
 * getAttribute} returns a fresh copy: change a mutable value, then set it again. Without a codec,
 * attributes are strings (stored as UTF-8, as {@link Session#setString} stores them) and byte
 * arrays (stored behind one {@code 0xFF} byte, which never starts UTF-8 text).
 *
 * <p>Listeners hear of the session as a container's would: see {@link SessionFilter}.
 */
final class HttpSessionBridge implements HttpSession {
  private static final Logger log = LoggerFactory.getLogger(SessionFilter.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Where a session keeps the id {@link #changeSessionId()} gave it. The core's {@link
   * Session#id()} stays the same for the session's whole life, while the Servlet API wants a new
   * id, so the new one is stored with the session; it is random and says nothing of the cookie's
   * key.
   */
  static final String ID_KEY = "io.sessionstate.servlet.id";

  private static final byte BYTES_MARKER = (byte) 0xFF;

  private final Session session;
  private final RequestCycle cycle;
  private final boolean existedAtStart;
  private boolean valid = true;

  /** Whether sessionCreated was fired for this session: it was established by this request. */
  private boolean announced;

  /** Whether sessionDestroyed was fired. */
  private boolean destroyed;

  /** The id this session had when invalidated: the core session goes on as the request's next. */
  private @Nullable String invalidatedId;

  /**
   * The objects this request set or was given, by name, so that setting the same object again fires
   * no binding events and a replaced value's listener is the very object that was bound, as in a
   * container.
   */
  private final Map<String, Object> objects = new HashMap<>();

  HttpSessionBridge(Session session, RequestCycle cycle, boolean existedAtStart) {
    this.session = session;
    this.cycle = cycle;
    this.existedAtStart = existedAtStart;
  }

  boolean isValid() {
    return valid;
  }

  boolean existedAtStart() {
    return existedAtStart;
  }

  /** Whether this session lived during the request: loaded from the store, or established here. */
  boolean lived() {
    return existedAtStart || announced;
  }

  private void checkValid(String method) {
    if (!valid) {
      throw new IllegalStateException(method + ": the session has been invalidated");
    }
  }

  private void checkWritable(String method) {
    cycle.checkOpen(method);
    checkValid(method);
  }

  /**
   * A random id, safe to log, that is not the cookie's key: {@link Session#id()} until {@link
   * jakarta.servlet.http.HttpServletRequest#changeSessionId()} gives the session a new one.
   */
  @Override
  public String getId() {
    if (!valid && invalidatedId != null) {
      return invalidatedId;
    }
    return session.getString(ID_KEY).orElseGet(session::id);
  }

  /** Gives the session a new cookie key and a new id, keeping its contents; returns the new id. */
  String changeId() {
    checkWritable("changeSessionId");
    String oldId = getId();
    session.regenerateId();
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    session.setString(ID_KEY, HexFormat.of().formatHex(bytes));
    announceIfEstablished();
    String newId = getId();
    cycle.listeners.idChanged(this, oldId);
    return newId;
  }

  @Override
  public long getCreationTime() {
    checkValid("getCreationTime");
    return session.createdAt().toEpochMilli();
  }

  /**
   * The start of this request: the store slides a session's expiry at every load without keeping
   * the time of each access, so the current request is the last access known.
   */
  @Override
  public long getLastAccessedTime() {
    checkValid("getLastAccessedTime");
    return Math.max(cycle.startedAtMillis, session.createdAt().toEpochMilli());
  }

  @Override
  public ServletContext getServletContext() {
    return cycle.servletContext;
  }

  /** This session's idle timeout in seconds: its own if one was set, else the manager's. */
  @Override
  public int getMaxInactiveInterval() {
    return (int) Math.min(Integer.MAX_VALUE, session.idleTimeout().toSeconds());
  }

  /**
   * Gives this session its own idle timeout ({@link Session#setIdleTimeout}), kept with it in the
   * store from this request's commit on and used by every node.
   *
   * @throws IllegalArgumentException for an interval under 60 seconds or over 365 days, and for 0
   *     or less, which the Servlet API reads as "never expire": a session that never expires is not
   *     supported
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    long min = Session.MIN_IDLE_TIMEOUT.toSeconds();
    long max = Session.MAX_IDLE_TIMEOUT.toSeconds();
    if (interval < min || interval > max) {
      throw new IllegalArgumentException(
          "setMaxInactiveInterval("
              + interval
              + "): the interval must be from "
              + min
              + " to "
              + max
              + " seconds; a session that never expires (0 or less) is not supported");
    }
    session.setIdleTimeout(Duration.ofSeconds(interval));
  }

  /**
   * The attribute's value, decoded afresh; null if there is none, or if the codec cannot read it:
   * such an attribute is logged at WARN without its value and removed, so the request's commit
   * drops it, and attribute listeners hear of the removal with a null value.
   */
  @Override
  public @Nullable Object getAttribute(@Nullable String name) {
    checkValid("getAttribute");
    if (name == null || name.equals(ID_KEY)) {
      return null;
    }
    Object value;
    try {
      // Through the session when there is a codec, so that its listener hears of a value that
      // cannot be read; without one, decoding cannot fail.
      value =
          cycle.codec != null
              ? session.getObject(name, Object.class).orElse(null)
              : session.tryGetValue(name).map(this::decode).orElse(null);
    } catch (SessionDataException e) {
      dropUnreadable(name, e);
      return null;
    }
    if (value != null) {
      objects.put(name, value);
    }
    return value;
  }

  /**
   * An attribute the codec cannot read (its class changed in a redeploy or is gone, or its bytes
   * are damaged) reads as null and is removed, so the session heals at the request's commit instead
   * of failing every request until it expires. Once removed it is not read again, so this logs once
   * per request; the message names the attribute and the class, never the value.
   */
  private void dropUnreadable(String name, SessionDataException e) {
    log.warn("Session attribute '{}' could not be read and is removed: {}", name, e.getMessage());
    session.remove(name);
    objects.remove(name);
    cycle.listeners.removed(this, name, null);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    checkValid("getAttributeNames");
    return Collections.enumeration(names());
  }

  private Set<String> names() {
    Set<String> names = new LinkedHashSet<>(session.keys());
    names.remove(ID_KEY);
    return names;
  }

  /**
   * Encodes {@code value} now and keeps the bytes; a null value removes the attribute, as the
   * Servlet API says.
   *
   * @throws IllegalStateException if the manager has no value codec and the value is neither a
   *     {@code String} nor a {@code byte[]}; if this would create a session after the response has
   *     started; or if the filter has already committed the request's session
   * @throws io.sessionstate.SessionDataException if the codec cannot encode the value (with Kryo, a
   *     class that is not registered)
   */
  @Override
  public void setAttribute(String name, Object value) {
    checkWritable("setAttribute");
    if (name == null) {
      throw new IllegalArgumentException("attribute name must not be null");
    }
    if (name.equals(ID_KEY)) {
      throw new IllegalArgumentException(
          "attribute name " + ID_KEY + " is reserved for the session's id");
    }
    if (value == null) {
      removeAttribute(name);
      return;
    }
    byte[] bytes = encode(name, value);
    boolean tell = tellsOfOldValues();
    Optional<byte[]> oldBytes = tell ? session.tryGetValue(name) : Optional.empty();
    Object old = oldBytes.isPresent() ? oldValue(name, oldBytes.get()) : null;
    session.set(name, bytes);
    objects.put(name, value);
    announceIfEstablished();
    if (value != old) {
      SessionListeners.bound(this, name, value);
      SessionListeners.unbound(this, name, old);
    }
    if (oldBytes.isPresent()) {
      cycle.listeners.replaced(this, name, old);
    } else {
      cycle.listeners.added(this, name, value);
    }
  }

  @Override
  public void removeAttribute(@Nullable String name) {
    checkWritable("removeAttribute");
    if (name == null || name.equals(ID_KEY)) {
      return;
    }
    Optional<byte[]> oldBytes = session.tryGetValue(name);
    if (oldBytes.isEmpty()) {
      objects.remove(name);
      return;
    }
    Object old = tellsOfOldValues() ? oldValue(name, oldBytes.get()) : null;
    session.remove(name);
    objects.remove(name);
    SessionListeners.unbound(this, name, old);
    cycle.listeners.removed(this, name, old);
  }

  /**
   * Deletes the session from the store now and removes its cookie; this object is invalid from then
   * on, and {@code request.getSession()} starts a new session. Listeners hear of it first, while
   * the attributes can still be read, then each attribute is unbound, as a container does.
   */
  @Override
  public void invalidate() {
    checkWritable("invalidate");
    String id = getId();
    if (lived()) {
      destroyed = true;
      cycle.listeners.destroyed(this);
      for (String name : List.copyOf(names())) {
        Optional<byte[]> bytes = session.tryGetValue(name);
        if (bytes.isPresent() && tellsOfOldValues()) {
          Object old = oldValue(name, bytes.get());
          SessionListeners.unbound(this, name, old);
          cycle.listeners.removed(this, name, old);
        }
      }
    }
    session.invalidate();
    objects.clear();
    invalidatedId = id;
    valid = false;
  }

  /**
   * Tells listeners that a session which lived during this request is gone at its end: emptied, so
   * its entry was deleted, or never stored at all. Called once the filter has committed.
   */
  void destroyIfGone() {
    if (valid && !destroyed && lived() && session.isAvailable() && session.isNew()) {
      destroyed = true;
      cycle.listeners.destroyed(this);
    }
  }

  /**
   * Whether the session was created by this request. The core session stops being new once it is
   * stored, which the filter does at the first byte of the response, but the browser has not joined
   * it until its next request.
   */
  @Override
  public boolean isNew() {
    checkValid("isNew");
    return !existedAtStart;
  }

  /** Fires sessionCreated once a session this request made holds its first value. */
  private void announceIfEstablished() {
    if (!existedAtStart && !announced && !session.keys().isEmpty()) {
      announced = true;
      cycle.listeners.created(this);
    }
  }

  /**
   * Whether old values must be decoded to be handed to listeners: attribute listeners want them,
   * and with a codec any value may be an {@link jakarta.servlet.http.HttpSessionBindingListener}.
   */
  private boolean tellsOfOldValues() {
    return cycle.codec != null || cycle.listeners.hasAttributeListeners();
  }

  private @Nullable Object oldValue(String name, byte[] bytes) {
    if (objects.containsKey(name)) {
      return objects.get(name);
    }
    try {
      return decode(bytes);
    } catch (SessionDataException e) {
      // The value is going anyway; only its listeners miss it.
      log.warn(
          "Session attribute '{}' could not be decoded for its listeners: {}",
          name,
          e.getMessage());
      return null;
    }
  }

  private byte[] encode(String name, Object value) {
    ValueCodec codec = cycle.codec;
    if (codec != null) {
      return codec.encode(value);
    }
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    if (value instanceof byte[] b) {
      byte[] marked = new byte[b.length + 1];
      marked[0] = BYTES_MARKER;
      System.arraycopy(b, 0, marked, 1, b.length);
      return marked;
    }
    throw new IllegalStateException(
        "setAttribute(\""
            + name
            + "\"): a "
            + value.getClass().getName()
            + " needs a value codec, and the SessionManager has none: set"
            + " SessionManager.Builder.valueCodec(...); without one, attributes are String and"
            + " byte[] only");
  }

  private Object decode(byte[] bytes) {
    ValueCodec codec = cycle.codec;
    if (codec != null) {
      return codec.decode(bytes, Object.class);
    }
    if (bytes.length > 0 && bytes[0] == BYTES_MARKER) {
      return Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "HttpSessionBridge{valid=" + valid + "}";
  }
}
