package io.sessionstate;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the values of one cookie from a {@code Cookie} request header, after RFC 6265 section 4.2:
 * {@code cookie-pair *( ";" SP cookie-pair )}, where a value is either bare cookie-octets or
 * cookie-octets in double quotes.
 *
 * <p>The rules, each one decided so that a value can never be smuggled inside another cookie, and
 * so that one odd cookie (a JSON value from a script, a stray quote) never hides the others:
 *
 * <ul>
 *   <li>A value that starts with {@code "} and whose closing {@code "} is followed by a separator
 *       or the end runs to that quote, whatever it holds: {@code other="a; session=x; b"} is one
 *       cookie named {@code other}.
 *   <li>Any other quote (one never closed, one followed by more text, one inside a bare value)
 *       makes only its own pair malformed: that pair ends at the next {@code ;} and is skipped, and
 *       the pairs after it are read as usual. A browser never stores {@code ;} inside a cookie
 *       value, so each of those later pairs is a cookie the browser really holds.
 *   <li>Pairs are separated by {@code ;} only. A comma does not separate (so {@code a=1, session=x}
 *       is one malformed pair named {@code a}).
 *   <li>Spaces and horizontal tabs around a name, a value and a separator are ignored, so a
 *       tab-padded or space-padded header reads as the canonical one.
 *   <li>A value of the requested name is returned only if it is well formed: only cookie-octets (no
 *       whitespace, {@code "}, {@code ,}, {@code ;}, {@code \} or control characters) inside its
 *       optional quotes, which are removed. A malformed value is skipped, never repaired.
 *   <li>Names match exactly and case-sensitively; a pair without {@code =} is skipped.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class CookieHeaderParser {
  private CookieHeaderParser() {}

  /** The values of every well-formed cookie named {@code name} in {@code header}, in order. */
  static List<String> values(String header, String name) {
    List<String> values = new ArrayList<>(1);
    int length = header.length();
    int i = 0;
    while (i < length) {
      i = skipWhitespace(header, i);
      int nameStart = i;
      while (i < length && header.charAt(i) != '=' && header.charAt(i) != ';') {
        i++;
      }
      if (i >= length || header.charAt(i) == ';') {
        i++; // a pair without '=': not a cookie we can read
        continue;
      }
      int nameEnd = trimEnd(header, nameStart, i);
      i = skipWhitespace(header, i + 1);
      int valueStart = i;
      int valueEnd;
      boolean quoted = false;
      int close = i < length && header.charAt(i) == '"' ? header.indexOf('"', i + 1) : -1;
      if (close > 0) {
        int after = skipWhitespace(header, close + 1);
        quoted = after >= length || header.charAt(after) == ';';
      }
      if (quoted) {
        valueEnd = close + 1;
        i = skipWhitespace(header, valueEnd);
      } else {
        // A bare value, or a quote that does not close a value: the pair ends at the next ';'.
        // isCookieOctets refuses any quote left inside, so such a pair is skipped.
        while (i < length && header.charAt(i) != ';') {
          i++;
        }
        valueEnd = trimEnd(header, valueStart, i);
      }
      i++; // past the ';'
      if (nameEnd - nameStart == name.length()
          && header.regionMatches(nameStart, name, 0, name.length())) {
        String value =
            quoted
                ? header.substring(valueStart + 1, valueEnd - 1)
                : header.substring(valueStart, valueEnd);
        if (isCookieOctets(value)) {
          values.add(value);
        }
      }
    }
    return values;
  }

  private static int skipWhitespace(String s, int i) {
    while (i < s.length() && isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String s, int start, int end) {
    while (end > start && isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * RFC 6265's cookie-octet: US-ASCII without controls, whitespace, {@code "}, {@code ,}, {@code ;}
   * and {@code \}.
   */
  private static boolean isCookieOctets(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
