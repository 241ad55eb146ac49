package io.sessionstate.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * When a store starts and what starting and closing do. It starts once, on {@code start()} or its
 * first operation: it creates the table if asked to, then schedules the sweeper if it is enabled; a
 * start that fails leaves it unstarted, and the next call tries again. Once closed it refuses every
 * call, its sweeper is stopped and the pool it owns is closed. Thread-safe. Public for the stores'
 * packages only; not an API.
 */
public final class StoreLifecycle {

  /** What creates a store's table, where it is missing. */
  @FunctionalInterface
  public interface Installer {
    /**
     * Creates what is missing.
     *
     * @param operation the operation that started the store, for its errors
     * @throws io.sessionstate.SessionStoreException naming {@code operation} if it fails
     */
    void install(String operation);
  }

  private final Database db;
  private final @Nullable Installer installer; // null unless the table is created on start
  private final Sweeper sweeper;
  private final boolean scheduleSweeper;

  private final Object lock = new Object();
  // Written under lock; read without it on every operation.
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * A lifecycle that has not started.
   *
   * @param db the store's database, which {@link #close()} closes
   * @param installer what creates the table on start, or null to create nothing
   * @param sweeper the store's sweeper, which {@link #close()} stops
   * @param scheduleSweeper whether starting schedules the sweeper
   */
  public StoreLifecycle(
      Database db, @Nullable Installer installer, Sweeper sweeper, boolean scheduleSweeper) {
    this.db = db;
    this.installer = installer;
    this.sweeper = sweeper;
    this.scheduleSweeper = scheduleSweeper;
  }

  /**
   * Starts the store unless it has started.
   *
   * @param operation the operation about to run, for the errors
   * @throws io.sessionstate.SessionStoreException naming {@code operation} if the store is closed
   *     or the table cannot be created
   */
  public void ensureStarted(String operation) {
    // Checked on every call, not only before the start: a started store over a caller's data
    // source would otherwise go on working after close().
    if (closed) {
      throw db.closed(operation);
    }
    if (started) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        throw db.closed(operation);
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
  public void close() {
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
