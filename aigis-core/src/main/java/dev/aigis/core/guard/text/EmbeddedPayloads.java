package dev.aigis.core.guard.text;

import java.util.HexFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Finds and decodes payloads hidden in a text: base64 and base64url runs, hex runs (plain or
 * {@code \xHH}), and URL-encoded ({@code %XX}) tokens. Only runs of at least {@value #MIN_RUN}
 * characters are tried, and a decoding is kept only when it is valid UTF-8 and mostly printable
 * text, so ordinary long words and identifiers do not produce noise. Decoded text is searched
 * again once (two levels in all); the total decoded output never exceeds the budget (the
 * input's length). Every level is one linear pass over its input.
 */
final class EmbeddedPayloads {

  static final int MIN_RUN = 16;
  private static final int MIN_DECODED = 6;

  private EmbeddedPayloads() {}

  static List<String> decode(List<String> sources, int budget) {
    List<String> found = new ArrayList<>();
    int[] left = {budget};
    for (String text : sources) {
      scan(text, found, left);
    }
    // Second level. A first-level text that is itself one whole payload (double encoding) is
    // replaced by its decoding rather than kept beside it: the intermediate form says nothing a
    // detector can use, and dropping it keeps double-encoded text within the budget.
    List<String> firstLevel = List.copyOf(found);
    found.clear();
    for (String text : firstLevel) {
      left[0] += text.length();
      List<String> inner = new ArrayList<>();
      int longest = scan(text, inner, left);
      if (longest * 10 >= text.strip().length() * 9 && !inner.isEmpty()) {
        found.addAll(inner);
      } else if (text.length() <= left[0]) {
        left[0] -= text.length();
        found.add(text);
        found.addAll(inner);
      } else {
        found.addAll(inner);
      }
    }
    return found;
  }

  /** Appends the payloads of {@code text}; returns the longest encoded run that decoded. */
  private static int scan(String text, List<String> out, int[] left) {
    int longest = 0;
    int n = text.length();
    int i = 0;
    while (i < n && left[0] > 0) {
      char c = text.charAt(i);
      if (c == '\\' && i + 3 < n && text.charAt(i + 1) == 'x') {
        int end = escapedHexEnd(text, i);
        if (end - i >= MIN_RUN) {
          StringBuilder hex = new StringBuilder((end - i) / 2);
          for (int k = i; k < end; k += 4) {
            hex.append(text, k + 2, k + 4);
          }
          if (keep(hexBytes(hex), out, left)) {
            longest = Math.max(longest, end - i);
          }
          i = end;
          continue;
        }
      }
      if (isBase64Char(c)) {
        int end = i;
        while (end < n && isBase64Char(text.charAt(end))) {
          end++;
        }
        int padded = end;
        while (padded < n && padded - end < 2 && text.charAt(padded) == '=') {
          padded++;
        }
        if (end < n && text.charAt(end) == '%' || (i > 0 && text.charAt(i - 1) == '%')) {
          // part of a URL-encoded token: handled below as a whole token
        } else if (end - i >= MIN_RUN && decodeRun(text.substring(i, end), out, left)) {
          longest = Math.max(longest, padded - i);
        }
        i = Math.max(padded, i + 1);
        continue;
      }
      if (c == '%') {
        int start = i;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1))) {
          start--;
        }
        int end = i;
        while (end < n && !Character.isWhitespace(text.charAt(end))) {
          end++;
        }
        if (end - start >= MIN_RUN && escapeCount(text, start, end) >= 3
            && keep(percentBytes(text, start, end), out, left)) {
          longest = Math.max(longest, end - start);
        }
        i = end;
        continue;
      }
      i++;
    }
    return longest;
  }

  private static boolean decodeRun(String run, List<String> out, int[] left) {
    if (run.length() % 2 == 0 && isHex(run)) {
      if (keep(hexBytes(run), out, left)) {
        return true;
      }
    }
    boolean std = run.indexOf('+') >= 0 || run.indexOf('/') >= 0;
    boolean url = run.indexOf('-') >= 0 || run.indexOf('_') >= 0;
    if (std && url) {
      return false;
    }
    // A length of 4k+1 cannot be base64: drop the stray last character.
    String body = run.length() % 4 == 1 ? run.substring(0, run.length() - 1) : run;
    try {
      byte[] bytes = (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(pad(body));
      return keep(bytes, out, left);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static String pad(String body) {
    int rest = body.length() % 4;
    return rest == 0 ? body : body + "=".repeat(4 - rest);
  }

  /** Adds the bytes as text when they are printable UTF-8 and the budget allows. */
  private static boolean keep(byte[] bytes, List<String> out, int[] left) {
    if (bytes == null) {
      return false;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException notText) {
      return false;
    }
    if (!mostlyPrintable(text) || text.length() > left[0]) {
      return false;
    }
    left[0] -= text.length();
    out.add(text);
    return true;
  }

  /** At least 90% printable code points and a quarter letters: text, not binary. */
  static boolean mostlyPrintable(String text) {
    int total = 0;
    int printable = 0;
    int letters = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      total++;
      if (Character.isLetter(cp)) {
        letters++;
        printable++;
      } else if (cp == '\n' || cp == '\t' || cp == '\r'
          || (!Character.isISOControl(cp) && Character.getType(cp) != Character.UNASSIGNED
              && Character.getType(cp) != Character.PRIVATE_USE && cp != 0xFFFD)) {
        printable++;
      }
    }
    return total >= MIN_DECODED && printable * 10 >= total * 9 && letters * 4 >= total;
  }

  private static int escapedHexEnd(String text, int i) {
    int n = text.length();
    while (i + 3 < n && text.charAt(i) == '\\' && text.charAt(i + 1) == 'x'
        && hexValue(text.charAt(i + 2)) >= 0 && hexValue(text.charAt(i + 3)) >= 0) {
      i += 4;
    }
    return i;
  }

  private static int escapeCount(String text, int start, int end) {
    int count = 0;
    for (int k = start; k + 2 < end; k++) {
      if (text.charAt(k) == '%' && hexValue(text.charAt(k + 1)) >= 0 && hexValue(text.charAt(k + 2)) >= 0) {
        count++;
      }
    }
    return count;
  }

  private static byte[] percentBytes(String text, int start, int end) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
    for (int k = start; k < end; k++) {
      char c = text.charAt(k);
      if (c == '%' && k + 2 < end && hexValue(text.charAt(k + 1)) >= 0 && hexValue(text.charAt(k + 2)) >= 0) {
        bytes.write(hexValue(text.charAt(k + 1)) * 16 + hexValue(text.charAt(k + 2)));
        k += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] hexBytes(CharSequence hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int k = 0; k < bytes.length; k++) {
      bytes[k] = (byte) (hexValue(hex.charAt(2 * k)) * 16 + hexValue(hex.charAt(2 * k + 1)));
    }
    return bytes;
  }

  private static boolean isHex(String run) {
    for (int k = 0; k < run.length(); k++) {
      if (hexValue(run.charAt(k)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int hexValue(char c) {
    return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
  }

  private static boolean isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '+' || c == '/' || c == '-' || c == '_';
  }
}
