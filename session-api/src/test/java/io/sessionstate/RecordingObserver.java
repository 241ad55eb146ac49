package io.sessionstate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records each observation as a line: {@code "save ok 57 1"} (operation, outcome, blob bytes and
 * value count where known) or {@code "load error IllegalStateException"}, and {@code "event
 * created"}; every argument it receives goes, as text, into {@link #everything}.
 */
class RecordingObserver implements SessionObserver {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<String> everything = new CopyOnWriteArrayList<>();

  @Override
  public void storeCall(
      String storeName,
      StoreOperation operation,
      StoreOutcome outcome,
      Class<? extends Throwable> errorType,
      long durationNanos,
      int blobBytes,
      int valueCount) {
    everything.add(
        storeName + " " + operation + " " + outcome + " " + errorType + " " + durationNanos);
    calls.add(
        operation.tagValue()
            + " "
            + outcome.tagValue()
            + (errorType != null ? " " + errorType.getSimpleName() : "")
            + (blobBytes >= 0 ? " " + blobBytes : "")
            + (valueCount >= 0 ? " " + valueCount : ""));
  }

  @Override
  public void sessionEvent(String storeName, Event event) {
    everything.add(storeName + " " + event);
    calls.add("event " + event.tagValue());
  }
}
