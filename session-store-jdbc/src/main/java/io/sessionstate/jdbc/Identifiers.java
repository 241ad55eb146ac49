package io.sessionstate.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The rule for the names of schemas, databases and tables that configuration may give. Public for
 * the stores' packages only; not an API.
 */
public final class Identifiers {

  /** The suffix of the expiry index's name, which follows the table's. */
  public static final String INDEX_SUFFIX = "_expires_at_idx";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private Identifiers() {}

  /**
   * The longest table name on a server whose names hold {@code maxLength} characters. The index is
   * named after the table, and a truncated index name could collide with another table's, making
   * {@code CREATE INDEX IF NOT EXISTS} skip it silently.
   */
  static int maxTableLength(int maxLength) {
    return maxLength - INDEX_SUFFIX.length();
  }

  /**
   * Returns {@code value} if it is a plain lowercase identifier. Only such names are accepted, so
   * that the quoted name in every statement means the same table as the unquoted one a person
   * types, on a server that folds case or one that does not, and no configured text can leave the
   * quotes.
   *
   * @param option the option's name, for the messages
   * @param value the name
   * @param maxLength the longest name accepted
   * @return the name
   * @throws NullPointerException if it is null, naming the option
   * @throws IllegalArgumentException if it is not a plain lowercase identifier of at most {@code
   *     maxLength} characters
   */
  public static String require(String option, String value, int maxLength) {
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
}
