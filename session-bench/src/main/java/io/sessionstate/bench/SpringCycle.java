package io.sessionstate.bench;

import java.time.Instant;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Spring Session's request cycle, as its {@code SessionRepositoryFilter} runs it: {@code findById},
 * {@code setLastAccessedTime}, {@code getAttribute}, {@code setAttribute} (in a modified cycle),
 * {@code save}. A new session is {@code createSession}, {@code setAttribute}, {@code save}. Values
 * are the same strings sessionstate stores, as attributes.
 */
final class SpringCycle<S extends Session> implements Cycle {
  private final SessionRepository<S> repository;
  private final Runnable deleteAll;
  private final AutoCloseable resources;
  private String[] ids = new String[0];

  SpringCycle(SessionRepository<S> repository, Runnable deleteAll, AutoCloseable resources) {
    this.repository = repository;
    this.deleteAll = deleteAll;
    this.resources = resources;
  }

  @Override
  public void populate(int count) {
    String[] made = new String[count];
    for (int n = 0; n < count; n++) {
      S session = repository.createSession();
      for (int i = 0; i < Workload.VALUES; i++) {
        session.setAttribute(Workload.key(i), Workload.initialValue(i));
      }
      repository.save(session);
      made[n] = session.getId();
    }
    ids = made;
  }

  @Override
  public Object modified(int session, int tick) {
    S s = find(session);
    Object read = s.getAttribute(Workload.READ_KEY);
    s.setAttribute(Workload.WRITE_KEY, Workload.written(tick));
    repository.save(s);
    return read;
  }

  @Override
  public Object readOnly(int session) {
    S s = find(session);
    Object read = s.getAttribute(Workload.READ_KEY);
    repository.save(s);
    return read;
  }

  private S find(int session) {
    S s = repository.findById(ids[session]);
    if (s == null) {
      throw SessionstateCycle.missing();
    }
    s.setLastAccessedTime(Instant.now());
    return s;
  }

  @Override
  public Object newSession(int tick) {
    S s = repository.createSession();
    s.setAttribute(Workload.WRITE_KEY, Workload.written(tick));
    repository.save(s);
    return s;
  }

  @Override
  public void deleteAll() {
    deleteAll.run();
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing " + repository.getClass().getSimpleName(), e);
    }
  }
}
