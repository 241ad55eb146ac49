package io.sessionstate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import redis.clients.jedis.RedisClient;

/**
 * Counts the server round trips of each cycle, in the same run as the timings, outside JMH: a
 * counted batch of cycles on one thread. PostgreSQL and MariaDB: the statements and commits seen by
 * the suite's {@link io.sessionstate.tck.CountingDataSource}. Redis: the change in the server's
 * {@code INFO commandstats} around the batch; since other clients may share the server, the batch
 * runs three times and the smallest count stands (other traffic can only add).
 */
final class RoundTrips {
  static final String[] CYCLES = {"modified", "readOnly", "newSession"};
  private static final int SESSIONS = 16;
  private static final int WARM_UP = 50;
  private static final int TRIES = 3;

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
          Map<String, Long> best = Map.of();
          long bestTotal = Long.MAX_VALUE;
          for (int t = 0; t < TRIES; t++) {
            Map<String, Long> before = commandStats(admin);
            for (int i = 0; i < batch; i++) {
              run.apply(i);
            }
            Map<String, Long> delta = minus(commandStats(admin), before);
            long total = delta.values().stream().mapToLong(Long::longValue).sum();
            if (total < bestTotal) {
              bestTotal = total;
              best = delta;
            }
          }
          counts.put(name, new Count(bestTotal / (double) batch, describe(best)));
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

  /** Calls per command from {@code INFO commandstats}, leaving out the INFO calls themselves. */
  static Map<String, Long> commandStats(RedisClient admin) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : admin.info("commandstats").split("\r?\n")) {
      // cmdstat_getex:calls=12,usec=34,usec_per_call=2.83,rejected_calls=0,failed_calls=0
      if (line.startsWith("cmdstat_")) {
        String command = line.substring("cmdstat_".length(), line.indexOf(':'));
        int start = line.indexOf("calls=") + "calls=".length();
        int end = line.indexOf(',', start);
        if (!command.equals("info")) {
          calls.put(command, Long.parseLong(line.substring(start, end)));
        }
      }
    }
    return calls;
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
