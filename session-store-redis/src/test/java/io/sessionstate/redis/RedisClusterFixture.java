package io.sessionstate.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of three masters, each with one replica, from six {@code redis-server}s of the
 * test's own on free loopback ports. Built by hand (slots assigned, nodes met, replicas attached)
 * so that no {@code redis-cli} is needed, and waited for until every node reports {@code
 * cluster_state:ok} and every replica's link is up.
 *
 * <p>Failover is fast: a node that does not answer for {@value #NODE_TIMEOUT_MILLIS} ms is failed,
 * and its replica takes over a second or two later.
 */
final class RedisClusterFixture implements AutoCloseable {
  static final int NODE_TIMEOUT_MILLIS = 1000;
  private static final int MASTERS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerProcess> nodes = new ArrayList<>();

  private RedisClusterFixture() {}

  /** Starts the six nodes and forms the cluster; stops whatever started if that fails. */
  static RedisClusterFixture start() {
    RedisClusterFixture cluster = new RedisClusterFixture();
    try {
      cluster.form();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void form() {
    for (int i = 0; i < 2 * MASTERS; i++) {
      nodes.add(
          RedisServerProcess.start(
              "--cluster-enabled", "yes",
              "--cluster-config-file", "nodes.conf",
              "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MILLIS),
              // A replica may take over however long its link was down: the test decides.
              "--cluster-replica-validity-factor", "0"));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      try (Jedis node = nodes.get(i).admin()) {
        ids.add(node.clusterMyId());
        // Distinct epochs spare the nodes a round of collision resolution.
        node.clusterSetConfigEpoch(i + 1);
        if (i < MASTERS) {
          int first = 16384 * i / MASTERS;
          int last = 16384 * (i + 1) / MASTERS - 1;
          node.clusterAddSlotsRange(first, last);
        }
      }
    }
    try (Jedis first = nodes.get(0).admin()) {
      for (int i = 1; i < nodes.size(); i++) {
        first.clusterMeet("127.0.0.1", nodes.get(i).port());
      }
    }
    await(
        "every node to know all six",
        () -> nodes.stream().allMatch(n -> clusterInfo(n).contains("cluster_known_nodes:6")));
    for (int i = MASTERS; i < nodes.size(); i++) {
      String masterId = ids.get(i - MASTERS);
      RedisServerProcess replica = nodes.get(i);
      await(
          "replica " + replica.port() + " to see its master",
          () -> {
            try (Jedis node = replica.admin()) {
              return node.clusterNodes().contains(masterId);
            }
          });
      try (Jedis node = replica.admin()) {
        node.clusterReplicate(masterId);
      }
    }
    awaitHealthy();
  }

  /** Seed nodes for a client: every node. */
  Set<HostAndPort> seeds() {
    Set<HostAndPort> seeds = new LinkedHashSet<>();
    for (RedisServerProcess node : nodes) {
      seeds.add(node.hostAndPort());
    }
    return seeds;
  }

  /** The running nodes that are masters now. */
  List<RedisServerProcess> masters() {
    List<RedisServerProcess> masters = new ArrayList<>();
    for (RedisServerProcess node : nodes) {
      if (node.alive() && replication(node).contains("role:master")) {
        masters.add(node);
      }
    }
    return masters;
  }

  /** The running master that serves {@code slot}. */
  RedisServerProcess masterOf(int slot) {
    for (RedisServerProcess master : masters()) {
      try (Jedis node = master.admin()) {
        for (String line : node.clusterNodes().split("\n")) {
          if (!line.contains("myself")) {
            continue;
          }
          String[] fields = line.split(" ");
          for (int f = 8; f < fields.length; f++) {
            String[] range = fields[f].split("-");
            if (range[0].startsWith("[")) {
              continue;
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length == 1 ? from : Integer.parseInt(range[1]);
            if (slot >= from && slot <= to) {
              return master;
            }
          }
        }
      }
    }
    throw new IllegalStateException("no running master serves slot " + slot);
  }

  /** The running replica of {@code master}. */
  RedisServerProcess replicaOf(RedisServerProcess master) {
    String masterPort = "master_port:" + master.port() + "\r\n";
    for (RedisServerProcess node : nodes) {
      if (node != master && node.alive() && replication(node).contains(masterPort)) {
        return node;
      }
    }
    throw new IllegalStateException("master " + master.port() + " has no running replica");
  }

  /**
   * Waits until every replica's link to its master is up and it has every byte the master has
   * written: what a master holds now survives losing it.
   */
  void awaitReplicasSynced() {
    await(
        "every replica to catch up with its master",
        () -> {
          for (RedisServerProcess master : masters()) {
            String masterInfo = replication(master);
            long masterOffset = field(masterInfo, "master_repl_offset");
            String replicaInfo = replication(replicaOf(master));
            if (!replicaInfo.contains("master_link_status:up")
                || field(replicaInfo, "slave_repl_offset") < masterOffset) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * Waits until the cluster is whole again: three running masters, each with a running replica
   * whose link is up, and every running node reporting {@code cluster_state:ok}.
   */
  void awaitHealthy() {
    await(
        "the cluster to report cluster_state:ok with three synced pairs",
        () -> {
          for (RedisServerProcess node : nodes) {
            if (node.alive() && !clusterInfo(node).contains("cluster_state:ok")) {
              return false;
            }
          }
          List<RedisServerProcess> masters = masters();
          if (masters.size() != MASTERS) {
            return false;
          }
          for (RedisServerProcess master : masters) {
            if (!replication(master).contains("connected_slaves:1")) {
              return false;
            }
          }
          for (RedisServerProcess node : nodes) {
            String info = node.alive() ? replication(node) : "";
            if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * Waits until {@code replica} has been promoted and every running node reports {@code
   * cluster_state:ok}.
   */
  void awaitPromoted(RedisServerProcess replica) {
    await(
        "replica " + replica.port() + " to take over",
        () -> {
          if (!replication(replica).contains("role:master")) {
            return false;
          }
          for (RedisServerProcess node : nodes) {
            if (node.alive() && !clusterInfo(node).contains("cluster_state:ok")) {
              return false;
            }
          }
          return true;
        });
  }

  /** Restarts a killed node; it rejoins, as a replica of the master that replaced it. */
  void restart(RedisServerProcess node) {
    node.restart();
    awaitHealthy();
  }

  /** Every node's log, for a failed test's message. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (RedisServerProcess node : nodes) {
      out.append("---- node ").append(node.port()).append('\n').append(tail(node.log()));
    }
    return out.toString();
  }

  @Override
  public void close() {
    for (RedisServerProcess node : nodes) {
      node.close();
    }
  }

  static String replication(RedisServerProcess node) {
    try (Jedis jedis = node.admin()) {
      return jedis.info("replication");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String clusterInfo(RedisServerProcess node) {
    try (Jedis jedis = node.admin()) {
      return jedis.clusterInfo();
    } catch (RuntimeException e) {
      return "";
    }
  }

  static long field(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  static String tail(String log) {
    String[] lines = log.split("\n");
    int from = Math.max(0, lines.length - 30);
    return String.join("\n", List.of(lines).subList(from, lines.length)) + "\n";
  }

  private void await(String what, BooleanSupplier condition) {
    awaitCondition(what, condition, READY_TIMEOUT, this::logs);
  }

  /** Polls {@code condition} until it holds; past {@code timeout}, fails with the servers' logs. */
  static void awaitCondition(
      String what, BooleanSupplier condition, Duration timeout, Supplier<String> logs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "timed out after " + timeout + " waiting for " + what + ":\n" + logs.get());
      }
      RedisServerProcess.sleep(Duration.ofMillis(50));
    }
  }
}
