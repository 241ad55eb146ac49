package io.sessionstate.example;

import io.sessionstate.SessionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What each request costs in the store, for the page that request shows: every store call made on
 * the request's behalf (its operation, outcome, time and blob size), collected per request thread.
 * Store calls that run on the manager's executor are counted too, because {@link
 * #propagating(Executor)} carries the request's collection over to the thread that runs them, as a
 * tracing context would be carried. Passes every observation on to the metrics. Thread-safe.
 */
final class RequestCosts implements SessionObserver {

  /** One store call. */
  record Call(
      String store, StoreOperation operation, StoreOutcome outcome, long nanos, int blobBytes) {}

  /** The calls of one request, in order; only its own thread and the calls it waits for add. */
  static final class Cost {
    private final List<Call> calls = new ArrayList<>();

    synchronized void add(Call call) {
      calls.add(call);
    }

    synchronized List<Call> calls() {
      return List.copyOf(calls);
    }
  }

  private final ThreadLocal<Cost> current = new ThreadLocal<>();
  private final SessionObserver metrics;

  RequestCosts(SessionObserver metrics) {
    this.metrics = metrics;
  }

  /** Starts collecting this thread's request; {@link #end()} stops. */
  Cost begin() {
    Cost cost = new Cost();
    current.set(cost);
    return cost;
  }

  void end() {
    current.remove();
  }

  /** {@code executor}, each task of which collects into the cost of the request that gave it. */
  Executor propagating(Executor executor) {
    return task -> {
      @Nullable Cost cost = current.get();
      executor.execute(
          () -> {
            @Nullable Cost before = current.get();
            if (cost != null) {
              current.set(cost);
            }
            try {
              task.run();
            } finally {
              if (before == null) {
                current.remove();
              } else {
                current.set(before);
              }
            }
          });
    };
  }

  @Override
  public void storeCall(
      String storeName,
      StoreOperation operation,
      StoreOutcome outcome,
      @Nullable Class<? extends Throwable> errorType,
      long durationNanos,
      int blobBytes,
      int valueCount) {
    @Nullable Cost cost = current.get();
    if (cost != null) {
      cost.add(new Call(storeName, operation, outcome, durationNanos, blobBytes));
    }
    metrics.storeCall(
        storeName, operation, outcome, errorType, durationNanos, blobBytes, valueCount);
  }

  @Override
  public void sessionEvent(String storeName, Event event) {
    metrics.sessionEvent(storeName, event);
  }

  /** What one store operation sends to the server, as the README's round-trip tables say. */
  static String command(String store, StoreOperation operation) {
    return switch (store) {
      case "memory" -> "in this process, no round trip";
      case "redis" ->
          switch (operation) {
            case LOAD -> "MULTI, PTTL, GETRANGE (header), GETRANGE (value), PEXPIRE, EXEC";
            case CONDITIONAL_SAVE ->
                "MULTI, SET <staging key> … PX, EVALSHA save script (GETRANGE, RENAME), EXEC";
            case CONDITIONAL_REPLACE -> "EVALSHA replace script (both keys)";
            case INVALIDATE -> "SET <tombstone> PX";
            case SAVE -> "SET … PX";
            case TOUCH -> "PEXPIRE";
            case DELETE -> "DEL";
            default -> operation.tagValue();
          };
      case "postgresql" ->
          switch (operation) {
            case LOAD -> "SELECT blob, sliding expires_at only when it has fallen behind";
            case CONDITIONAL_SAVE, SAVE -> "INSERT … ON CONFLICT (session_key) DO UPDATE";
            case CONDITIONAL_REPLACE -> "one statement: tombstone the old key, insert the new";
            case INVALIDATE -> "one statement: a tombstone over the key";
            case TOUCH -> "UPDATE … SET expires_at";
            case DELETE -> "DELETE … WHERE session_key = ?";
            default -> operation.tagValue();
          };
      default -> operation.tagValue();
    };
  }
}
