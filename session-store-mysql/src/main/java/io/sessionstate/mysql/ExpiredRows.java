package io.sessionstate.mysql;

import io.sessionstate.jdbc.Sweeper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The sweeper's batches, each two short statements in autocommit: a plain read of up to a batch of
 * expired keys, which takes no lock, and a delete of those keys by primary key that rechecks their
 * expiry, so a session saved again in between survives. Locks are taken in primary-key order, the
 * order a request takes them in, so the sweep cannot deadlock with a request or with another node's
 * sweep; it holds them for one batch only. Thread-safe.
 */
final class ExpiredRows implements Sweeper.ExpiredRows {

  private final Statements sql;

  ExpiredRows(Statements sql) {
    this.sql = sql;
  }

  /** Until a read finds fewer keys than a batch, or the sweeper is stopped. */
  @Override
  public long deleteExpired(Connection c, int batchSize, BooleanSupplier stopped)
      throws SQLException {
    long deleted = 0;
    try (PreparedStatement select = c.prepareStatement(sql.sweepSelect)) {
      select.setInt(1, batchSize);
      List<byte[]> keys = new ArrayList<>(batchSize);
      do {
        keys.clear();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            keys.add(rs.getBytes(1));
          }
        }
        if (keys.isEmpty()) {
          break;
        }
        try (PreparedStatement delete = c.prepareStatement(sql.sweepDelete(keys.size()))) {
          for (int i = 0; i < keys.size(); i++) {
            delete.setBytes(i + 1, keys.get(i));
          }
          deleted += delete.executeUpdate();
        }
      } while (keys.size() >= batchSize && !stopped.getAsBoolean());
      return deleted;
    }
  }
}
