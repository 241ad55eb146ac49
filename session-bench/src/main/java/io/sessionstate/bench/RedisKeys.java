package io.sessionstate.bench;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Cleans the benchmark's keys out of a Redis that other applications share. */
final class RedisKeys {
  private RedisKeys() {}

  /**
   * Unlinks every key matching the glob {@code pattern}, scanning in batches so the server is never
   * blocked as a {@code KEYS} would.
   */
  static void deleteMatching(UnifiedJedis jedis, String pattern) {
    ScanParams params = new ScanParams().match(pattern).count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = jedis.scan(cursor, params);
      List<String> keys = page.getResult();
      if (!keys.isEmpty()) {
        jedis.unlink(keys.toArray(new String[0]));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }
}
