package io.sessionstate.postgresql;

import io.sessionstate.jdbc.Sweeper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * The sweeper's batches: one short statement each, which skips rows another transaction holds
 * ({@code FOR UPDATE SKIP LOCKED}), so it never waits on a request's write and several nodes can
 * sweep one table at once. Thread-safe.
 */
final class ExpiredRows implements Sweeper.ExpiredRows {

  private final String statement;

  ExpiredRows(Statements sql) {
    this.statement = sql.sweep;
  }

  @Override
  public long deleteExpired(Connection c, int batchSize, BooleanSupplier stopped)
      throws SQLException {
    long deleted = 0;
    try (PreparedStatement s = c.prepareStatement(statement)) {
      s.setInt(1, batchSize);
      int batch;
      do {
        batch = s.executeUpdate();
        deleted += batch;
      } while (batch >= batchSize && !stopped.getAsBoolean());
      return deleted;
    }
  }
}
