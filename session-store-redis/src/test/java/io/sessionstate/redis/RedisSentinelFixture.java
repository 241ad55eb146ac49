package io.sessionstate.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A master, a replica and three sentinels (quorum two), all {@code redis-server}s of the test's own
 * on free loopback ports. Sentinels call the master down after {@value #DOWN_AFTER_MILLIS} ms
 * without an answer, so a failover takes a few seconds.
 */
final class RedisSentinelFixture implements AutoCloseable {
  static final String MASTER_NAME = "sessions";
  static final int DOWN_AFTER_MILLIS = 1000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerProcess> data = new ArrayList<>();
  private final List<RedisServerProcess> sentinels = new ArrayList<>();

  private RedisSentinelFixture() {}

  static RedisSentinelFixture start() {
    RedisSentinelFixture fixture = new RedisSentinelFixture();
    try {
      fixture.form();
      return fixture;
    } catch (RuntimeException | Error e) {
      fixture.close();
      throw e;
    }
  }

  private void form() {
    RedisServerProcess master = RedisServerProcess.start();
    data.add(master);
    data.add(RedisServerProcess.start("--replicaof", "127.0.0.1", String.valueOf(master.port())));
    String config =
        String.join(
            "\n",
            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
            "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
            "sentinel failover-timeout " + MASTER_NAME + " 5000",
            "sentinel parallel-syncs " + MASTER_NAME + " 1",
            "");
    for (int i = 0; i < 3; i++) {
      sentinels.add(RedisServerProcess.startSentinel(config));
    }
    awaitHealthy();
  }

  /** The sentinels' addresses, for a client. */
  Set<HostAndPort> sentinelAddresses() {
    Set<HostAndPort> out = new LinkedHashSet<>();
    for (RedisServerProcess sentinel : sentinels) {
      out.add(sentinel.hostAndPort());
    }
    return out;
  }

  /** The data server that the sentinels name as master now. */
  RedisServerProcess master() {
    try (Jedis sentinel = sentinels.get(0).admin()) {
      List<String> address = sentinel.sentinelGetMasterAddrByName(MASTER_NAME);
      int port = Integer.parseInt(address.get(1));
      for (RedisServerProcess server : data) {
        if (server.port() == port) {
          return server;
        }
      }
      throw new IllegalStateException("the sentinels name an unknown master: " + address);
    }
  }

  /** The running data server that is not the master. */
  RedisServerProcess replica() {
    RedisServerProcess master = master();
    for (RedisServerProcess server : data) {
      if (server != master && server.alive()) {
        return server;
      }
    }
    throw new IllegalStateException("no running replica");
  }

  /** Waits until the replica's link is up and it holds every byte the master has written. */
  void awaitReplicaSynced() {
    RedisServerProcess master = master();
    RedisServerProcess replica = replica();
    await(
        "the replica to catch up with the master",
        () -> {
          String masterInfo = RedisClusterFixture.replication(master);
          String replicaInfo = RedisClusterFixture.replication(replica);
          return replicaInfo.contains("master_link_status:up")
              && RedisClusterFixture.field(replicaInfo, "slave_repl_offset")
                  >= RedisClusterFixture.field(masterInfo, "master_repl_offset");
        });
  }

  /**
   * Waits until every sentinel names {@code server} as the master and sees it answering, with the
   * other sentinels known.
   */
  void awaitMaster(RedisServerProcess server) {
    await(
        "every sentinel to name " + server.port() + " as master",
        () -> {
          for (RedisServerProcess sentinel : sentinels) {
            try (Jedis s = sentinel.admin()) {
              var master = s.sentinelMaster(MASTER_NAME);
              if (!String.valueOf(server.port()).equals(master.get("port"))
                  || !"master".equals(master.get("flags"))
                  || !"2".equals(master.get("num-other-sentinels"))) {
                return false;
              }
            } catch (RuntimeException e) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * Waits until the deployment is whole: every sentinel agrees on an answering master, and a
   * running replica of it has its link up.
   */
  void awaitHealthy() {
    RedisServerProcess master = master();
    awaitMaster(master);
    await(
        "the master to have a replica with its link up",
        () -> {
          for (RedisServerProcess server : data) {
            if (server != master
                && server.alive()
                && RedisClusterFixture.replication(server).contains("master_link_status:up")) {
              return true;
            }
          }
          return false;
        });
  }

  /**
   * After a failover, replaces the killed server with a fresh replica of the new master, so the
   * deployment has a master and a replica again.
   */
  void replaceDead() {
    RedisServerProcess master = master();
    List<RedisServerProcess> dead = new ArrayList<>();
    for (RedisServerProcess server : data) {
      if (!server.alive()) {
        dead.add(server);
      }
    }
    for (RedisServerProcess server : dead) {
      data.remove(server);
      server.close();
    }
    data.add(RedisServerProcess.start("--replicaof", "127.0.0.1", String.valueOf(master.port())));
    awaitHealthy();
  }

  String logs() {
    StringBuilder out = new StringBuilder();
    for (RedisServerProcess server : data) {
      out.append("---- redis ")
          .append(server.port())
          .append('\n')
          .append(RedisClusterFixture.tail(server.log()));
    }
    for (RedisServerProcess sentinel : sentinels) {
      out.append("---- sentinel ")
          .append(sentinel.port())
          .append('\n')
          .append(RedisClusterFixture.tail(sentinel.log()));
    }
    return out.toString();
  }

  @Override
  public void close() {
    for (RedisServerProcess sentinel : sentinels) {
      sentinel.close();
    }
    for (RedisServerProcess server : data) {
      server.close();
    }
  }

  private void await(String what, BooleanSupplier condition) {
    RedisClusterFixture.awaitCondition(what, condition, READY_TIMEOUT, this::logs);
  }
}
