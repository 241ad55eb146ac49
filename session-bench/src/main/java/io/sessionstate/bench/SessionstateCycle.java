package io.sessionstate.bench;

import io.sessionstate.CommitMode;
import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * sessionstate's own request cycle through a {@link SessionManager} with its defaults (its own I/O
 * executor, blob integrity as the store calls for), as an application runs it: {@code begin} with
 * the request's {@code Cookie} header, typed reads and writes, {@code finish}.
 */
final class SessionstateCycle implements Cycle {
  private static final BooleanSupplier NOT_STARTED = () -> false;
  private static final byte[] SECRET =
      "sessionstate benchmark secret, 32+ bytes long".getBytes(StandardCharsets.UTF_8);

  private final SessionManager manager;
  private final Runnable deleteAll;
  private final AutoCloseable resources;
  private String[] cookies = new String[0];

  /**
   * @param deleteAll removes everything the store holds for this benchmark
   * @param resources closed after the manager (and with it the store) is closed
   */
  SessionstateCycle(SessionStore store, Runnable deleteAll, AutoCloseable resources) {
    this(store, CommitMode.COHERENT, deleteAll, resources);
  }

  SessionstateCycle(
      SessionStore store, CommitMode mode, Runnable deleteAll, AutoCloseable resources) {
    this.manager =
        SessionManager.builder()
            .store(store)
            .commitMode(mode)
            .keyRing(KeyRing.builder().addKey("bench", SECRET).build())
            .idleTimeout(Workload.IDLE_TIMEOUT)
            .build();
    this.deleteAll = deleteAll;
    this.resources = resources;
  }

  @Override
  public void populate(int count) {
    String[] made = new String[count];
    for (int n = 0; n < count; n++) {
      SessionRequest request = manager.begin(null, false, NOT_STARTED);
      Session session = request.session();
      for (int i = 0; i < Workload.VALUES; i++) {
        session.setString(Workload.key(i), Workload.initialValue(i));
      }
      SessionResponse response = request.finish();
      String setCookie =
          response
              .setCookie()
              .orElseThrow(() -> new IllegalStateException("a new session sent no cookie"));
      // "name=value; Path=/; ...": the request sends back "name=value".
      made[n] = setCookie.substring(0, setCookie.indexOf(';'));
    }
    cookies = made;
  }

  @Override
  public Object modified(int session, int tick) {
    SessionRequest request = manager.begin(cookies[session], false, NOT_STARTED);
    Session s = request.session();
    String read = s.getString(Workload.READ_KEY).orElseThrow(SessionstateCycle::missing);
    s.setString(Workload.WRITE_KEY, Workload.written(tick));
    request.finish();
    return read;
  }

  @Override
  public Object readOnly(int session) {
    SessionRequest request = manager.begin(cookies[session], false, NOT_STARTED);
    String read =
        request.session().getString(Workload.READ_KEY).orElseThrow(SessionstateCycle::missing);
    request.finish();
    return read;
  }

  @Override
  public Object newSession(int tick) {
    SessionRequest request = manager.begin(null, false, NOT_STARTED);
    request.session().setString(Workload.WRITE_KEY, Workload.written(tick));
    return request.finish();
  }

  @Override
  public void deleteAll() {
    deleteAll.run();
  }

  @Override
  public void close() {
    try {
      manager.close();
    } finally {
      try {
        resources.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the resources of " + manager, e);
      }
    }
  }

  // A populated session that is gone would turn every later cycle into a new-session cycle and
  // make the numbers meaningless: fail the run instead.
  static IllegalStateException missing() {
    return new IllegalStateException("a populated session lost its value; was it evicted?");
  }
}
