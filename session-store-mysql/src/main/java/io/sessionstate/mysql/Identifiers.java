package io.sessionstate.mysql;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** The rule for the database and table names that configuration may give. */
final class Identifiers {

  /** MySQL's and MariaDB's longest identifier. */
  static final int MAX_LENGTH = 64;

  /** The suffix of the expiry index's name, which follows the table's. */
  static final String INDEX_SUFFIX = "_expires_at_idx";

  /** The longest table name: the index is named after it and must fit 64 characters too. */
  static final int MAX_TABLE_LENGTH = MAX_LENGTH - INDEX_SUFFIX.length();

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private Identifiers() {}

  /**
   * Returns {@code value} if it is a plain lowercase identifier. Only such names are accepted: a
   * server with {@code lower_case_table_names=0} (Linux's default) tells {@code Sessions} from
   * {@code sessions}, one with 1 or 2 does not, so a lowercase name means the same table on every
   * server, and no configured text can leave the backquotes.
   */
  static String require(String option, String value, int maxLength) {
    requireNonNull(value, option);
    if (value.length() > maxLength || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          option
              + " must be a lowercase SQL identifier of at most "
              + maxLength
              + " characters matching [a-z_][a-z0-9_]*: \""
              + printable(value)
              + "\"");
    }
    return value;
  }

  /** The value with control characters escaped, so a message cannot forge log lines. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), 200));
    for (int i = 0; i < value.length() && out.length() < 200; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return value.length() > 200 ? out + "..." : out.toString();
  }

  /** The identifier in backquotes; safe only for names that passed {@link #require}. */
  static String quote(String identifier) {
    return '`' + identifier + '`';
  }
}
