package io.sessionstate;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the values of one cookie from a {@code Cookie} request header, after RFC 6265 section 4.2:
 * {@code cookie-pair *( ";" SP cookie-pair )}, where a value is either bare cookie-octets or
 * cookie-octets in double quotes.
 *
 * <p>The rules, each one decided so that a value can never be smuggled inside another cookie:
 *
 * <ul>
 *   <li>A value that starts with {@code "} runs to the next {@code "}, whatever it holds: {@code
 *       other="a; session=x; b"} is one cookie named {@code other}. Any other quote (one never
 *       closed, one followed by anything but a separator, one inside a bare value) ends the header:
 *       nothing after it is read, since where that value ends could only be guessed.
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
      String pairName = header.substring(nameStart, trimEnd(header, nameStart, i));
      i = skipWhitespace(header, i + 1);
      int valueStart = i;
      int valueEnd;
      boolean quoted = i < length && header.charAt(i) == '"';
      if (quoted) {
        int close = header.indexOf('"', i + 1);
        if (close < 0) {
          // An unclosed quote: where its value ends is unknowable, so nothing after it is read.
          return values;
        }
        valueEnd = close + 1;
        i = skipWhitespace(header, valueEnd);
        if (i < length && header.charAt(i) != ';') {
          // Text after the closing quote: the quoting is not what it seems, and a separator found
          // by guessing could sit inside the value, so nothing after it is read either.
          return values;
        }
      } else {
        while (i < length && header.charAt(i) != ';') {
          if (header.charAt(i) == '"') {
            return values; // a quote inside a bare value: as above, its end can only be guessed
          }
          i++;
        }
        valueEnd = trimEnd(header, valueStart, i);
      }
      i++; // past the ';'
      if (pairName.equals(name)) {
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
