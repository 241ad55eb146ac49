package io.sessionstate.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The data every implementation works on, identical for all: sessions of ten string values of about
 * 100 bytes each (about 1 KB in all), read through key {@link #READ_KEY} and changed through {@link
 * #WRITE_KEY}, with the default 20 minute idle timeout.
 */
final class Workload {
  static final int VALUES = 10;
  static final int VALUE_CHARS = 96;
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(20);
  static final String READ_KEY = key(3);
  static final String WRITE_KEY = key(7);

  /** Two alternate values for the written key, so every modified cycle really changes it. */
  private static final String[] WRITES = {value('x'), value('y')};

  /**
   * The size of the opaque blob the raw baselines move: the ten keys and values with a 4-byte
   * length before each, and a 32-byte header and integrity tag, as a session blob carries.
   */
  static final int RAW_BLOB_BYTES;

  static {
    int size = 32;
    for (int i = 0; i < VALUES; i++) {
      size += 4 + key(i).getBytes(StandardCharsets.UTF_8).length + 4 + VALUE_CHARS;
    }
    RAW_BLOB_BYTES = size;
  }

  private Workload() {}

  static String key(int i) {
    return "attr" + i;
  }

  /** The value stored under key {@code i} when a session is populated. */
  static String initialValue(int i) {
    return value((char) ('a' + i));
  }

  static String written(int tick) {
    return WRITES[tick & 1];
  }

  /** A blob of {@link #RAW_BLOB_BYTES} bytes, its content picked by {@code fill}. */
  static byte[] rawBlob(int fill) {
    byte[] blob = new byte[RAW_BLOB_BYTES];
    Arrays.fill(blob, (byte) fill);
    return blob;
  }

  private static String value(char c) {
    char[] chars = new char[VALUE_CHARS];
    Arrays.fill(chars, c);
    return new String(chars);
  }
}
