package io.sessionstate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A session's values in order, as a {@link LinkedHashMap} would keep them, read in place from the
 * stored blob they were loaded from: {@link BlobFormat#index} checks every entry's structure and
 * notes where it lies, and a value is copied out only when the request reads it. A commit copies
 * the bytes of the entries the request did not change straight from that blob, so most requests
 * decode and encode only what they touch. Not thread-safe.
 *
 * <p>Each entry has a slot, in order. A slot of the stored blob keeps its offset there until the
 * request sets its value; a removed slot stays, marked, so the order of the others does not move,
 * and a key set again after its removal takes a new slot at the end, as in a {@code LinkedHashMap}.
 * Keys are found by their {@link KeyHash}, which an ASCII key's bytes give without decoding it: by
 * a scan of the hashes for a few entries, through an open-addressing table for more.
 */
final class SessionEntries {
  /** Marks a removed slot; compared by identity. */
  private static final byte[] REMOVED = new byte[0];

  /** The offset of a slot whose value this request set: its bytes are not in the stored blob. */
  private static final int CHANGED = -1;

  /** Up to this many slots, a lookup scans the hashes; past it, a table finds them. */
  private static final int SCAN_SLOTS = 16;

  private static final int[] NO_INTS = new int[0];

  /** The stored blob's bytes the slots' offsets point into; null when no slot is in one. */
  private @Nullable ByteBuffer base;

  private int count;
  private int live;

  /** Per slot: where its entry starts in {@link #base} (its key length), or {@link #CHANGED}. */
  private int[] offsets;

  private int[] hashes;

  /** Per slot: the key; null for a key of the stored blob nobody needed as a string yet. */
  private @Nullable String @Nullable [] keys;

  /** Per slot: the value once read or set, or {@link #REMOVED}; null while it is only stored. */
  private byte @Nullable [] @Nullable [] values;

  /** Slot plus one per cell, 0 for an empty cell; null while a scan finds keys. */
  private int @Nullable [] table;

  /** No entries. */
  SessionEntries() {
    this.offsets = NO_INTS;
    this.hashes = NO_INTS;
  }

  /** The entries of {@code map}, in its order, none of them stored. */
  static SessionEntries of(Map<String, byte[]> map) {
    SessionEntries entries = new SessionEntries();
    for (Map.Entry<String, byte[]> e : map.entrySet()) {
      entries.append(e.getKey(), e.getValue());
    }
    return entries;
  }

  /** Entries of a stored blob, {@code capacity} of them, added by {@link #addStored}. */
  SessionEntries(ByteBuffer base, int capacity) {
    this.base = base;
    this.offsets = new int[capacity];
    this.hashes = new int[capacity];
  }

  /**
   * Adds the next entry of the stored blob, at {@code offset}, with its key's hash and, for a key
   * that is not ASCII, the key already decoded; false if an entry has that key already.
   */
  boolean addStored(int offset, int hash, @Nullable String key) {
    if (key != null) {
      ensureKeys()[count] = key;
    }
    int slot = count;
    offsets[slot] = offset;
    hashes[slot] = hash;
    if (count >= SCAN_SLOTS && table == null) {
      rebuildTable();
    }
    if (findSlot(slot, hash) >= 0) {
      return false;
    }
    count++;
    live++;
    if (table != null) {
      insert(slot);
    }
    return true;
  }

  int size() {
    return live;
  }

  /**
   * The value of {@code key}, copied out of the stored blob on the first read; never handed out.
   */
  byte @Nullable [] get(String key) {
    int slot = find(key);
    return slot < 0 ? null : value(slot);
  }

  /** The length of {@code key}'s value, or -1 when it has none; reads no value. */
  int valueLength(String key) {
    int slot = find(key);
    return slot < 0 ? -1 : valueLength(slot);
  }

  /** Sets {@code key}'s value; returns the length of the value it replaced, or -1 for none. */
  int put(String key, byte[] value) {
    int slot = find(key);
    if (slot < 0) {
      append(key, value);
      return -1;
    }
    int old = valueLength(slot);
    ensureKeys()[slot] = key;
    ensureValues()[slot] = value;
    offsets[slot] = CHANGED;
    return old;
  }

  /** Removes {@code key}; returns the encoded size of its entry, or -1 when it had none. */
  long remove(String key) {
    int slot = find(key);
    if (slot < 0) {
      return -1;
    }
    int offset = offsets[slot];
    int keyBytes =
        offset == CHANGED
            ? key.getBytes(StandardCharsets.UTF_8).length
            : requireBase().getShort(offset) & 0xFFFF;
    long entry = BlobFormat.entrySize(keyBytes, valueLength(slot));
    ensureValues()[slot] = REMOVED;
    live--;
    return entry;
  }

  /** The keys, in order; a copy. */
  List<String> keys() {
    List<String> list = new ArrayList<>(live);
    for (int i = 0; i < count; i++) {
      if (!removed(i)) {
        list.add(key(i));
      }
    }
    return list;
  }

  /** The entries as a map, in order, every value read. */
  LinkedHashMap<String, byte[]> toMap() {
    LinkedHashMap<String, byte[]> map = new LinkedHashMap<>(Math.max(4, live * 2));
    for (int i = 0; i < count; i++) {
      if (!removed(i)) {
        map.put(key(i), value(i));
      }
    }
    return map;
  }

  /**
   * Writes every entry into {@code out} from {@code at}, as {@link BlobFormat} lays them out, and
   * returns where they end: the bytes of runs of entries this request did not change in one copy
   * each from the stored blob.
   */
  int writeTo(byte[] out, int at) {
    int i = 0;
    while (i < count) {
      if (removed(i)) {
        i++;
        continue;
      }
      int start = offsets[i];
      if (start == CHANGED) {
        at = BlobEntries.putKey(out, at, key(i));
        byte[] value = value(i);
        at = BlobEntries.putInt(out, at, value.length);
        System.arraycopy(value, 0, out, at, value.length);
        at += value.length;
        i++;
        continue;
      }
      int end = entryEnd(start);
      i++;
      // Stored entries lie back to back in the blob: extend the run while the next one follows.
      while (i < count && offsets[i] == end && !removed(i)) {
        end = entryEnd(end);
        i++;
      }
      requireBase().get(start, out, at, end - start);
      at += end - start;
    }
    return at;
  }

  // ---- slots

  private boolean removed(int slot) {
    return values != null && values[slot] == REMOVED;
  }

  private String key(int slot) {
    @Nullable String[] k = ensureKeys();
    @Nullable String key = k[slot];
    if (key == null) {
      // Only an ASCII key of the stored blob is left undecoded; its bytes are its characters.
      int offset = offsets[slot];
      ByteBuffer from = requireBase();
      int length = from.getShort(offset) & 0xFFFF;
      byte[] bytes = new byte[length];
      from.get(offset + 2, bytes);
      key = new String(bytes, StandardCharsets.ISO_8859_1);
      k[slot] = key;
    }
    return key;
  }

  private byte[] value(int slot) {
    byte[] @Nullable [] v = ensureValues();
    byte[] value = v[slot];
    if (value == null) {
      int valueAt = valueAt(offsets[slot]);
      value = new byte[requireBase().getInt(valueAt)];
      requireBase().get(valueAt + 4, value);
      v[slot] = value;
    }
    return value;
  }

  private int valueLength(int slot) {
    byte[] value = values == null ? null : values[slot];
    return value != null ? value.length : requireBase().getInt(valueAt(offsets[slot]));
  }

  /** Where the value length of the stored entry that starts at {@code offset} lies. */
  private int valueAt(int offset) {
    return offset + 2 + (requireBase().getShort(offset) & 0xFFFF);
  }

  /** Where the stored entry that starts at {@code offset} ends. */
  private int entryEnd(int offset) {
    int valueAt = valueAt(offset);
    return valueAt + 4 + requireBase().getInt(valueAt);
  }

  private ByteBuffer requireBase() {
    ByteBuffer b = base;
    if (b == null) {
      throw new IllegalStateException("a stored slot without its blob");
    }
    return b;
  }

  private @Nullable String[] ensureKeys() {
    @Nullable String[] k = keys;
    if (k == null) {
      k = new String[offsets.length];
      keys = k;
    }
    return k;
  }

  private byte[] @Nullable [] ensureValues() {
    byte[] @Nullable [] v = values;
    if (v == null) {
      v = new byte[offsets.length][];
      values = v;
    }
    return v;
  }

  private void append(String key, byte[] value) {
    if (count == offsets.length) {
      grow();
    }
    int slot = count++;
    offsets[slot] = CHANGED;
    hashes[slot] = KeyHash.of(key);
    ensureKeys()[slot] = key;
    ensureValues()[slot] = value;
    live++;
    if (table != null) {
      insert(slot);
    } else if (count > SCAN_SLOTS) {
      rebuildTable();
    }
  }

  private void grow() {
    if (count >= 8 && live <= count / 2) {
      compact(); // removals and re-adds left more dead slots than live ones
      if (count < offsets.length) {
        return;
      }
    }
    int capacity = Math.max(4, offsets.length * 2);
    offsets = Arrays.copyOf(offsets, capacity);
    hashes = Arrays.copyOf(hashes, capacity);
    keys = keys == null ? null : Arrays.copyOf(keys, capacity);
    values = values == null ? null : Arrays.copyOf(values, capacity);
    if (table != null) {
      rebuildTable();
    }
  }

  /** Drops removed slots, keeping the order of the others. */
  private void compact() {
    byte[] @Nullable [] v = ensureValues();
    @Nullable String[] k = ensureKeys();
    int to = 0;
    for (int from = 0; from < count; from++) {
      if (v[from] != REMOVED) {
        offsets[to] = offsets[from];
        hashes[to] = hashes[from];
        k[to] = k[from];
        v[to] = v[from];
        to++;
      }
    }
    Arrays.fill(k, to, count, null);
    Arrays.fill(v, to, count, null);
    count = to;
    if (table != null) {
      rebuildTable();
    }
  }

  // ---- lookup

  private int find(String key) {
    int hash = KeyHash.of(key);
    int[] t = table;
    if (t == null) {
      for (int i = 0; i < count; i++) {
        if (hashes[i] == hash && !removed(i) && keyEquals(i, key)) {
          return i;
        }
      }
      return -1;
    }
    int mask = t.length - 1;
    for (int cell = hash & mask; t[cell] != 0; cell = (cell + 1) & mask) {
      int slot = t[cell] - 1;
      if (hashes[slot] == hash && !removed(slot) && keyEquals(slot, key)) {
        return slot;
      }
    }
    return -1;
  }

  /** A slot before {@code slot} with the same key as it (both of the stored blob), or -1. */
  private int findSlot(int slot, int hash) {
    int[] t = table;
    if (t == null) {
      for (int i = 0; i < slot; i++) {
        if (hashes[i] == hash && sameStoredKey(i, slot)) {
          return i;
        }
      }
      return -1;
    }
    int mask = t.length - 1;
    for (int cell = hash & mask; t[cell] != 0; cell = (cell + 1) & mask) {
      int other = t[cell] - 1;
      if (hashes[other] == hash && sameStoredKey(other, slot)) {
        return other;
      }
    }
    return -1;
  }

  private boolean sameStoredKey(int a, int b) {
    String ka = keys == null ? null : keys[a];
    String kb = keys == null ? null : keys[b];
    if (ka != null || kb != null) {
      // A decoded key is not ASCII; an undecoded one is: equal only if both are decoded.
      return ka != null && ka.equals(kb);
    }
    ByteBuffer from = requireBase();
    int oa = offsets[a];
    int ob = offsets[b];
    int length = from.getShort(oa) & 0xFFFF;
    if (length != (from.getShort(ob) & 0xFFFF)) {
      return false;
    }
    for (int i = 2; i < length + 2; i++) {
      if (from.get(oa + i) != from.get(ob + i)) {
        return false;
      }
    }
    return true;
  }

  private boolean keyEquals(int slot, String key) {
    String known = keys == null ? null : keys[slot];
    if (known != null) {
      return known.equals(key);
    }
    ByteBuffer from = requireBase();
    int offset = offsets[slot];
    int length = from.getShort(offset) & 0xFFFF;
    if (length != key.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (from.get(offset + 2 + i) != key.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void rebuildTable() {
    int cells = Integer.highestOneBit(Math.max(SCAN_SLOTS, offsets.length) * 2 - 1) << 1;
    table = new int[cells];
    for (int i = 0; i < count; i++) {
      if (!removed(i)) {
        insert(i);
      }
    }
  }

  private void insert(int slot) {
    int[] t = table;
    if (t == null) {
      return;
    }
    int mask = t.length - 1;
    int cell = hashes[slot] & mask;
    while (t[cell] != 0) {
      cell = (cell + 1) & mask;
    }
    t[cell] = slot + 1;
  }
}
