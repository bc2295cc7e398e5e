package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Replaces JSON string values, found by pointer, inside JSON bytes without re-serialising the
 * document: every byte outside the replaced strings (field order, spacing, number spelling, other
 * strings' escapes) is kept. The tree tells what to change; this pass tells where it is.
 */
final class JsonSplice {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private JsonSplice() {}

  /** A string token's bytes, quotes included, and what goes in its place. */
  private record Span(int start, int end, byte[] replacement) {}

  /**
   * Returns {@code bytes} with the value at each pointer of {@code replacements} (within the JSON
   * value at {@code offset..offset+length}) replaced: strings, arrays and objects (other scalars
   * are never targets). Every occurrence of a pointer is replaced, so a document with a duplicated
   * key keeps no copy of the old text. {@code toOutput} maps a position in {@code json} to the
   * matching position in {@code bytes} (identity unless the JSON was joined from several SSE data
   * lines: a string lies on one line; a replaced array or object that spanned lines takes their
   * breaks and {@code data:} prefixes with it, which joins those lines into one, still well formed).
   */
  static byte[] replace(byte[] bytes, byte[] json, int offset, int length, Map<JsonPointer, JsonNode> replacements,
      IntUnaryOperator toOutput) {
    List<Span> spans = new ArrayList<>(replacements.size());
    Set<String> names = new HashSet<>();
    for (JsonPointer pointer : replacements.keySet()) {
      names.add(pointer.last().getMatchingProperty());
    }
    int end = offset + length;
    try (JsonParser parser = Json.FACTORY.createParser(json, offset, length)) {
      JsonToken token;
      int depth = 0;
      while ((token = parser.nextToken()) != null) {
        if (token != JsonToken.FIELD_NAME && names.contains(parser.currentName())) {
          // for a container start the context is the new container's, whose path is its own
          JsonNode replacement = replacements.get(parser.getParsingContext().pathAsPointer());
          if (replacement != null && (token == JsonToken.VALUE_STRING || token.isStructStart())) {
            int start = offset + (int) parser.currentTokenLocation().getByteOffset();
            int stop;
            if (token == JsonToken.VALUE_STRING) {
              stop = stringEnd(json, start, end);
            } else {
              parser.skipChildren();
              stop = offset + (int) parser.currentLocation().getByteOffset();
            }
            spans.add(new Span(toOutput.applyAsInt(start), toOutput.applyAsInt(stop), encode(replacement)));
            continue;
          }
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd() && --depth == 0) {
          break; // anything after the value is not ours to touch
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the caller parsed these bytes already: cannot happen
    }
    spans.sort(Comparator.comparingInt(Span::start));
    int size = bytes.length;
    for (Span span : spans) {
      size += span.replacement.length - (span.end - span.start);
    }
    byte[] out = new byte[size];
    int from = 0;
    int to = 0;
    for (Span span : spans) {
      System.arraycopy(bytes, from, out, to, span.start - from);
      to += span.start - from;
      System.arraycopy(span.replacement, 0, out, to, span.replacement.length);
      to += span.replacement.length;
      from = span.end;
    }
    System.arraycopy(bytes, from, out, to, bytes.length - from);
    return out;
  }

  private static byte[] encode(JsonNode value) {
    if (value.isTextual()) {
      return quoted(value.textValue());
    }
    try {
      return Json.MAPPER.writeValueAsBytes(value); // null, [] or {}: the neutral token data
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The position after the closing quote of the string whose opening quote is at {@code start}. */
  private static int stringEnd(byte[] json, int start, int limit) {
    for (int i = start + 1; i < limit; i++) {
      byte b = json[i];
      if (b == '\\') {
        i++;
      } else if (b == '"') {
        return i + 1;
      }
    }
    throw new IllegalStateException("unterminated string"); // the parser read it whole: cannot happen
  }

  /**
   * A string as a JSON string token in UTF-8: quotes, backslashes and control characters escaped
   * (short forms where JSON has them), other characters as UTF-8, and an unpaired surrogate (a
   * filter that cut an emoji in two) as a {@code \}{@code uXXXX} escape, which JSON allows and
   * the client's parser joins again, rather than a replacement character that would lose it.
   */
  static byte[] quoted(String text) {
    int size = 2;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        size += c == '"' || c == '\\' ? 2 : c >= 0x20 ? 1 : shortEscape(c) != 0 ? 2 : 6;
      } else if (c < 0x800) {
        size += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        size += 4;
        i++;
      } else {
        size += Character.isSurrogate(c) ? 6 : 3;
      }
    }
    byte[] out = new byte[size];
    int at = 0;
    out[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (c == '"' || c == '\\') {
          out[at++] = '\\';
          out[at++] = (byte) c;
        } else if (c >= 0x20) {
          out[at++] = (byte) c;
        } else if (shortEscape(c) != 0) {
          out[at++] = '\\';
          out[at++] = shortEscape(c);
        } else {
          at = unicodeEscape(out, at, c);
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[at++] = (byte) (0xF0 | cp >> 18);
        out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
        out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[at++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        at = unicodeEscape(out, at, c);
      } else {
        out[at++] = (byte) (0xE0 | c >> 12);
        out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[at++] = (byte) (0x80 | c & 0x3F);
      }
    }
    out[at] = '"';
    return out;
  }

  private static byte shortEscape(char c) {
    return switch (c) {
      case '\n' -> 'n';
      case '\r' -> 'r';
      case '\t' -> 't';
      case '\b' -> 'b';
      case '\f' -> 'f';
      default -> 0;
    };
  }

  private static int unicodeEscape(byte[] out, int at, char c) {
    out[at++] = '\\';
    out[at++] = 'u';
    out[at++] = HEX[c >> 12 & 0xF];
    out[at++] = HEX[c >> 8 & 0xF];
    out[at++] = HEX[c >> 4 & 0xF];
    out[at++] = HEX[c & 0xF];
    return at;
  }
}
