package io.sessionstate.micrometer;

import io.sessionstate.SessionObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every observation on to {@code delegate} and keeps each argument it carried, as text. */
final class RecordingObserver implements SessionObserver {
  private final SessionObserver delegate;
  final List<String> seen = new CopyOnWriteArrayList<>();

  RecordingObserver(SessionObserver delegate) {
    this.delegate = delegate;
  }

  @Override
  public void storeCall(
      String storeName,
      StoreOperation operation,
      StoreOutcome outcome,
      Class<? extends Throwable> errorType,
      long durationNanos,
      int blobBytes,
      int valueCount) {
    seen.add(
        String.join(
            " ",
            storeName,
            operation.toString(),
            outcome.toString(),
            String.valueOf(errorType),
            Long.toString(durationNanos),
            Integer.toString(blobBytes),
            Integer.toString(valueCount)));
    delegate.storeCall(
        storeName, operation, outcome, errorType, durationNanos, blobBytes, valueCount);
  }

  @Override
  public void sessionEvent(String storeName, Event event) {
    seen.add(storeName + " " + event);
    delegate.sessionEvent(storeName, event);
  }
}
