/** A sessionstate store in Redis over Jedis: standalone, TLS, ACL, Sentinel and Cluster. */
// Jedis is an automatic module (it names itself in its manifest); the store's builder takes its
// UnifiedJedis and HostAndPort, so a caller must read it too.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.sessionstate.redis {
  requires transitive io.sessionstate;
  requires transitive redis.clients.jedis;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.sessionstate.redis;
}
