package dev.aigis.core.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The last bytes of a response body, kept in a fixed ring so that reading usage costs one small
 * copy per chunk whatever the body size. OpenAI and Anthropic serialise {@code usage} last, and an
 * unescaped {@code "usage"} can only be a key, so the usage object is found by scanning the tail
 * backwards. Not thread-safe; one per answer.
 */
public final class UsageTail {

  public static final int CAPACITY = 2048;
  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  private final byte[] ring = new byte[CAPACITY];
  private final Function<JsonNode, TokenUsage> reader;
  private long written;

  /** @param reader turns the provider's {@code usage} object into normalised usage */
  public UsageTail(Function<JsonNode, TokenUsage> reader) {
    this.reader = reader;
  }

  public void append(byte[] chunk) {
    int length = chunk.length;
    int from = Math.max(0, length - CAPACITY);
    written += from;
    while (from < length) {
      int at = (int) (written % CAPACITY);
      int count = Math.min(length - from, CAPACITY - at);
      System.arraycopy(chunk, from, ring, at, count);
      from += count;
      written += count;
    }
  }

  /** Usage found in the tail, or null. */
  public TokenUsage usage() {
    int size = (int) Math.min(written, CAPACITY);
    byte[] tail = new byte[size];
    long start = written - size;
    for (int i = 0; i < size; i++) {
      tail[i] = ring[(int) ((start + i) % CAPACITY)];
    }
    return usageIn(tail);
  }

  private TokenUsage usageIn(byte[] tail) {
    for (int at = tail.length - USAGE_KEY.length; at >= 0; at--) {
      if (!startsWith(tail, at, USAGE_KEY) || (at > 0 && tail[at - 1] == '\\')) {
        continue;
      }
      int colon = at + USAGE_KEY.length;
      while (colon < tail.length && tail[colon] != ':') {
        colon++;
      }
      try (JsonParser p = Json.FACTORY.createParser(tail, colon + 1, tail.length - colon - 1)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        JsonNode usage = Json.MAPPER.readTree(p);
        return reader.apply(usage);
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
