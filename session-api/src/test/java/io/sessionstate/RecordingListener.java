package io.sessionstate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every session event as a line such as {@code "created"} or {@code "failed commit"}. */
class RecordingListener implements SessionListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
  final List<String> invalidatedIds = new CopyOnWriteArrayList<>();

  @Override
  public void created(String sessionId) {
    events.add("created");
  }

  @Override
  public void committed(String sessionId) {
    events.add("committed");
  }

  @Override
  public void failed(String sessionId, String operation, SessionException error) {
    events.add("failed " + operation);
  }

  @Override
  public void regenerated(String sessionId) {
    events.add("regenerated");
  }

  @Override
  public void invalidated(String sessionId) {
    events.add("invalidated");
    invalidatedIds.add(String.valueOf(sessionId));
  }

  @Override
  public void unreadableData(SessionDataException problem) {
    events.add("unreadable");
    unreadable.add(problem);
  }
}
