package io.sessionstate.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The raw baseline for the PostgreSQL store: plain JDBC through the same HikariCP pool settings, on
 * a table like the store's (key, blob, expiry), logged or {@code UNLOGGED}. A modified cycle is
 * {@code UPDATE ... SET expires_at ... RETURNING blob} and an upsert; a read-only cycle is the
 * {@code UPDATE} alone; a new session is the upsert alone. Autocommit, one statement per round
 * trip. Throttled, the load is instead the store's own statement shape, a read that slides the
 * expiry only when it has fallen behind now + TTL, and writes set now + TTL + TTL/20: the least the
 * store's throttled cycle needs, to hold its overhead against.
 */
final class JdbcCycle implements Cycle {
  private static final byte[][] WRITES = {Workload.rawBlob('x'), Workload.rawBlob('y')};

  private final HikariDataSource pool;
  private final DataSource dataSource;
  private final String table;
  private final String load;
  private final String save;
  private final long ttlMillis = Workload.IDLE_TIMEOUT.toMillis();
  private final boolean throttled;
  private final long writeMillis;
  private String[] keys = new String[0];

  JdbcCycle(Env env, boolean unlogged) {
    this(env, unlogged, false);
  }

  JdbcCycle(Env env, boolean unlogged, boolean throttled) {
    this.pool = env.newPool("raw-jdbc");
    this.dataSource = env.counted(pool);
    this.table =
        Env.SCHEMA
            + "."
            + env.namespace()
            + "_raw_"
            + (unlogged ? "unlogged" : "logged")
            + (throttled ? "_throttled" : "");
    this.throttled = throttled;
    this.writeMillis = throttled ? ttlMillis + ttlMillis / 20 : ttlMillis;
    String expiry = "now() + ? * interval '1 millisecond'";
    String live = " WHERE session_key = ? AND expires_at > now()";
    this.load =
        throttled
            ? "WITH slid AS (UPDATE "
                + table
                + " SET expires_at = "
                + expiry
                + live
                + " AND (expires_at < "
                + expiry
                + " OR expires_at > "
                + expiry
                + ")) SELECT blob FROM "
                + table
                + live
            : "UPDATE " + table + " SET expires_at = " + expiry + live + " RETURNING blob";
    this.save =
        "INSERT INTO "
            + table
            + " (session_key, blob, expires_at) VALUES (?, ?, "
            + expiry
            + ") ON CONFLICT (session_key) DO UPDATE"
            + " SET blob = excluded.blob, expires_at = excluded.expires_at";
    Env.execute(
        pool,
        "CREATE SCHEMA IF NOT EXISTS " + Env.SCHEMA,
        "CREATE "
            + (unlogged ? "UNLOGGED " : "")
            + "TABLE "
            + table
            + " (session_key text PRIMARY KEY, blob bytea NOT NULL,"
            + " expires_at timestamptz NOT NULL)",
        "CREATE INDEX ON " + table + " (expires_at)");
  }

  @Override
  public void populate(int count) {
    keys = RawKeys.random(count);
    for (String key : keys) {
      upsert(key, Workload.rawBlob('a'));
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
    upsert(key, WRITES[tick & 1]);
    return key;
  }

  private byte[] loadAndTouch(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(load)) {
      ps.setLong(1, writeMillis);
      ps.setString(2, key);
      if (throttled) {
        ps.setLong(3, ttlMillis);
        ps.setLong(4, writeMillis);
        ps.setString(5, key);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw SessionstateCycle.missing();
        }
        return rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("load failed: " + e.getMessage(), e);
    }
  }

  private void upsert(String key, byte[] blob) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(save)) {
      ps.setString(1, key);
      ps.setBytes(2, blob);
      ps.setLong(3, writeMillis);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("save failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void deleteAll() {
    Env.execute(pool, "TRUNCATE " + table);
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
