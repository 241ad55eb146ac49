package io.sessionstate.postgresql;

import org.jspecify.annotations.Nullable;

/**
 * When a store starts and what starting and closing do. It starts once, on {@code start()} or its
 * first operation: it creates the table if asked to, then schedules the sweeper if it is enabled; a
 * start that fails leaves it unstarted, and the next call tries again. Once closed it refuses every
 * call, its sweeper is stopped and the pool it owns is closed. Thread-safe.
 */
final class StoreLifecycle {

  private final Database db;
  private final @Nullable SchemaInstaller installer; // null unless the table is created on start
  private final Sweeper sweeper;
  private final boolean scheduleSweeper;

  private final Object lock = new Object();
  // Written under lock; read without it on every operation.
  private volatile boolean started;
  private volatile boolean closed;

  StoreLifecycle(
      Database db, @Nullable SchemaInstaller installer, Sweeper sweeper, boolean scheduleSweeper) {
    this.db = db;
    this.installer = installer;
    this.sweeper = sweeper;
    this.scheduleSweeper = scheduleSweeper;
  }

  /**
   * Starts the store unless it has started.
   *
   * @throws io.sessionstate.SessionStoreException naming {@code operation} if the store is closed
   *     or the table cannot be created
   */
  void ensureStarted(String operation) {
    // Checked on every call, not only before the start: a started store over a caller's data
    // source would otherwise go on working after close().
    if (closed) {
      throw Database.closed(operation);
    }
    if (started) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        throw Database.closed(operation);
      }
      if (started) {
        return;
      }
      if (installer != null) {
        installer.install(operation);
      }
      if (scheduleSweeper) {
        sweeper.schedule();
      }
      started = true;
    }
  }

  /** Stops the sweeper, then closes the pool the store owns. Calling it again does nothing. */
  void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      sweeper.stop();
    }
    // Outside the lock: closing the pool may wait for connections still in use.
    db.close();
  }
}
