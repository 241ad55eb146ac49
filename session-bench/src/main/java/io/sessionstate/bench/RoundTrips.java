package io.sessionstate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import redis.clients.jedis.RedisClient;

/**
 * Counts the server round trips of each cycle, in the same run as the timings, outside JMH: a
 * counted batch of cycles on one thread. PostgreSQL and MariaDB: the statements and commits seen by
 * the suite's {@link io.sessionstate.tck.CountingDataSource}. Redis: the change in the server's own
 * {@code total_reads_processed} around the batch, which grows once per batch of bytes the server
 * reads from a client, so a script that runs several commands inside the server is one round trip;
 * beside it, the commands the server ran ({@code INFO commandstats}, those inside scripts
 * included). Since other clients may share the server, the batch runs {@value #TRIES} times and the
 * smallest count stands (other traffic can only add).
 */
final class RoundTrips {
  static final String[] CYCLES = {"modified", "readOnly", "newSession"};
  private static final int SESSIONS = 16;
  private static final int WARM_UP = 50;
  private static final int TRIES = 5;

  /** Round trips per cycle, and the commands behind them where the server tells. */
  record Count(double perCycle, String detail) {}

  private final Env env;
  private final int batch;

  RoundTrips(Env env, int batch) {
    this.env = env;
    this.batch = batch;
  }

  /** Counts for each cycle of {@code impl}, by cycle name. */
  Map<String, Count> measure(Impl impl) {
    return switch (impl.backend) {
      case MEMORY -> memory();
      case POSTGRES, MYSQL -> jdbc(impl);
      case REDIS -> redis(impl);
    };
  }

  private static Map<String, Count> memory() {
    Map<String, Count> counts = new LinkedHashMap<>();
    for (String cycle : CYCLES) {
      counts.put(cycle, new Count(0, "in-process"));
    }
    return counts;
  }

  private Map<String, Count> jdbc(Impl impl) {
    Env counting = env.countingRoundTrips();
    Map<String, Count> counts = new LinkedHashMap<>();
    try (Cycle cycle = impl.create(counting)) {
      try {
        cycle.populate(SESSIONS);
        for (String name : CYCLES) {
          IntFunction<Object> run = runner(cycle, name);
          for (int i = 0; i < WARM_UP; i++) {
            run.apply(i);
          }
          long before = counting.roundTrips();
          for (int i = 0; i < batch; i++) {
            run.apply(i);
          }
          counts.put(
              name,
              new Count((counting.roundTrips() - before) / (double) batch, "statements+commits"));
        }
      } finally {
        cycle.deleteAll();
      }
    }
    return counts;
  }

  private Map<String, Count> redis(Impl impl) {
    Map<String, Count> counts = new LinkedHashMap<>();
    try (RedisClient admin = env.newJedis();
        Cycle cycle = impl.create(env)) {
      try {
        cycle.populate(SESSIONS);
        for (String name : CYCLES) {
          IntFunction<Object> run = runner(cycle, name);
          for (int i = 0; i < WARM_UP; i++) {
            run.apply(i);
          }
          Map<String, Long> commands = Map.of();
          long fewest = Long.MAX_VALUE;
          for (int t = 0; t < TRIES; t++) {
            RedisCounters before = RedisCounters.read(admin);
            for (int i = 0; i < batch; i++) {
              run.apply(i);
            }
            RedisCounters after = RedisCounters.read(admin);
            // The second INFO's own read is counted before it answers.
            long reads = after.reads() - before.reads() - 1;
            if (reads < fewest) {
              fewest = reads;
              commands = minus(after.calls(), before.calls());
            }
          }
          counts.put(name, new Count(fewest / (double) batch, describe(commands)));
        }
      } finally {
        cycle.deleteAll();
      }
    }
    return counts;
  }

  private static IntFunction<Object> runner(Cycle cycle, String name) {
    return switch (name) {
      case "modified" -> i -> cycle.modified(i % SESSIONS, i);
      case "readOnly" -> i -> cycle.readOnly(i % SESSIONS);
      case "newSession" -> cycle::newSession;
      default -> throw new IllegalArgumentException("unknown cycle: " + name);
    };
  }

  /**
   * What Redis has counted so far: calls per command from {@code INFO commandstats} (leaving out
   * the INFO calls themselves) and {@code total_reads_processed} from its stats.
   */
  record RedisCounters(Map<String, Long> calls, long reads) {
    static RedisCounters read(RedisClient admin) {
      Map<String, Long> calls = new TreeMap<>();
      long reads = -1;
      for (String line : admin.info("everything").split("\r?\n")) {
        // cmdstat_getex:calls=12,usec=34,usec_per_call=2.83,rejected_calls=0,failed_calls=0
        if (line.startsWith("cmdstat_")) {
          String command = line.substring("cmdstat_".length(), line.indexOf(':'));
          int start = line.indexOf("calls=") + "calls=".length();
          int end = line.indexOf(',', start);
          if (!command.equals("info")) {
            calls.put(command, Long.parseLong(line.substring(start, end)));
          }
        } else if (line.startsWith("total_reads_processed:")) {
          reads = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      if (reads < 0) {
        throw new IllegalStateException("Redis' INFO has no total_reads_processed");
      }
      return new RedisCounters(calls, reads);
    }
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach(
        (command, calls) -> {
          long d = calls - before.getOrDefault(command, 0L);
          if (d > 0) {
            delta.put(command, d);
          }
        });
    return delta;
  }

  private String describe(Map<String, Long> delta) {
    StringBuilder sb = new StringBuilder();
    delta.forEach(
        (command, calls) -> {
          double per = calls / (double) batch;
          if (per >= 0.01) {
            sb.append(sb.length() == 0 ? "" : " ")
                .append(command.toUpperCase(java.util.Locale.ROOT))
                .append(' ')
                .append(format(per));
          }
        });
    return sb.toString();
  }

  static String format(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.2f", value);
  }
}
