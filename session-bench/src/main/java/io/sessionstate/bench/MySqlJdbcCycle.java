package io.sessionstate.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The raw baseline for the MySQL store: plain JDBC through the same HikariCP pool settings, on a
 * table like the store's (VARBINARY key, blob, expiry), with the fewest statements the cycle needs
 * on MySQL, which has no {@code UPDATE ... RETURNING}: a read is one {@code SELECT} that also says
 * whether the expiry is more than a second behind now + TTL, followed by an {@code UPDATE} only
 * then; a modified cycle adds one upsert ({@code INSERT ... ON DUPLICATE KEY UPDATE}); a new
 * session is the upsert alone. Autocommit, one statement per round trip.
 */
final class MySqlJdbcCycle implements Cycle {
  private static final byte[][] WRITES = {Workload.rawBlob('x'), Workload.rawBlob('y')};
  private static final long THROTTLE_MICROS = 1_000_000;

  private final HikariDataSource pool;
  private final DataSource dataSource;
  private final String table;
  private final String load;
  private final String slide;
  private final String save;
  private final long ttlMicros = Workload.IDLE_TIMEOUT.toMillis() * 1000;
  private byte[][] keys = new byte[0][];

  MySqlJdbcCycle(Env env) {
    this.pool = env.newMySqlPool("raw-jdbc-mysql");
    this.dataSource = env.counted(pool);
    this.table = env.namespace() + "_raw_mysql";
    String expiry = "UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND";
    this.load =
        "SELECT session_data, expires_at < "
            + expiry
            + " FROM "
            + table
            + " WHERE session_key = ? AND expires_at > UTC_TIMESTAMP(3)";
    this.slide =
        "UPDATE "
            + table
            + " SET expires_at = "
            + expiry
            + " WHERE session_key = ? AND expires_at > UTC_TIMESTAMP(3)";
    this.save =
        "INSERT INTO "
            + table
            + " (session_key, session_data, expires_at) VALUES (?, ?, "
            + expiry
            + ") ON DUPLICATE KEY UPDATE"
            + " session_data = VALUES(session_data), expires_at = VALUES(expires_at)";
    Env.execute(
        pool,
        "CREATE TABLE "
            + table
            + " (session_key VARBINARY(255) NOT NULL PRIMARY KEY, session_data LONGBLOB NOT NULL,"
            + " expires_at DATETIME(3) NOT NULL, KEY (expires_at)) ENGINE=InnoDB");
  }

  @Override
  public void populate(int count) {
    String[] made = RawKeys.random(count);
    keys = new byte[count][];
    for (int i = 0; i < count; i++) {
      keys[i] = made[i].getBytes(StandardCharsets.UTF_8);
      upsert(keys[i], Workload.rawBlob('a'));
    }
  }

  @Override
  public Object modified(int session, int tick) {
    byte[] blob = loadAndTouch(keys[session]);
    upsert(keys[session], WRITES[tick & 1]);
    return blob;
  }

  @Override
  public Object readOnly(int session) {
    return loadAndTouch(keys[session]);
  }

  @Override
  public Object newSession(int tick) {
    String key = RawKeys.next();
    upsert(key.getBytes(StandardCharsets.UTF_8), WRITES[tick & 1]);
    return key;
  }

  private byte[] loadAndTouch(byte[] key) {
    try (Connection c = dataSource.getConnection()) {
      byte[] blob;
      boolean due;
      try (PreparedStatement ps = c.prepareStatement(load)) {
        ps.setLong(1, ttlMicros - THROTTLE_MICROS);
        ps.setBytes(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw SessionstateCycle.missing();
          }
          blob = rs.getBytes(1);
          due = rs.getBoolean(2);
        }
      }
      if (due) {
        try (PreparedStatement ps = c.prepareStatement(slide)) {
          ps.setLong(1, ttlMicros);
          ps.setBytes(2, key);
          ps.executeUpdate();
        }
      }
      return blob;
    } catch (SQLException e) {
      throw new IllegalStateException("load failed: " + e.getMessage(), e);
    }
  }

  private void upsert(byte[] key, byte[] blob) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(save)) {
      ps.setBytes(1, key);
      ps.setBytes(2, blob);
      ps.setLong(3, ttlMicros);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("save failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void deleteAll() {
    Env.execute(pool, "TRUNCATE TABLE " + table);
  }

  @Override
  public void close() {
    try {
      Env.execute(pool, "DROP TABLE IF EXISTS " + table);
    } finally {
      pool.close();
    }
  }
}
