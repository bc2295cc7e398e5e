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

  /** What a provider's usage object reads as; {@link #OPENAI} streams it without building a tree. */
  @FunctionalInterface
  public interface Reader {
    /** Reads the object the parser stands at (its START_OBJECT is current). */
    TokenUsage read(JsonParser p) throws IOException;
  }

  public static final Reader OPENAI = OpenAiUsage::read;

  private final Reader reader;
  /** The quoted key the usage object follows: {@code "usage"}, or another provider's (Gemini's {@code usageMetadata}). */
  private final byte[] usageKey;
  /** The only chunk so far, kept by reference (most answers arrive in one); copied into the ring once a second comes. */
  private byte[] single;
  private byte[] ring;
  private long written;

  /** @param reader turns the provider's {@code usage} object (as a tree) into normalised usage */
  public UsageTail(Function<JsonNode, TokenUsage> reader) {
    this((Reader) p -> reader.apply(Json.MAPPER.readTree(p)));
  }

  public UsageTail(Reader reader) {
    this(reader, USAGE_KEY);
  }

  /** @param key the name of the usage object in this provider's answers, e.g. {@code usageMetadata} */
  public UsageTail(Reader reader, String key) {
    this(reader, ("\"" + key + "\"").getBytes(StandardCharsets.US_ASCII));
  }

  private UsageTail(Reader reader, byte[] usageKey) {
    this.reader = reader;
    this.usageKey = usageKey;
  }

  /** Keeps the chunk's last bytes; the array is not copied now, so the caller must not change it afterwards. */
  public void append(byte[] chunk) {
    if (written == 0 && single == null) {
      single = chunk;
      return;
    }
    if (single != null) {
      byte[] first = single;
      single = null;
      toRing(first);
    }
    toRing(chunk);
  }

  private void toRing(byte[] chunk) {
    if (ring == null) {
      ring = new byte[CAPACITY];
    }
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
    if (single != null) {
      return usageIn(single, Math.max(0, single.length - CAPACITY));
    }
    if (ring == null) {
      return null;
    }
    int size = (int) Math.min(written, CAPACITY);
    byte[] tail = new byte[size];
    long start = written - size;
    for (int i = 0; i < size; i++) {
      tail[i] = ring[(int) ((start + i) % CAPACITY)];
    }
    return usageIn(tail, 0);
  }

  private TokenUsage usageIn(byte[] tail, int from) {
    for (int at = tail.length - usageKey.length; at >= from; at--) {
      if (!startsWith(tail, at, usageKey) || (at > 0 && tail[at - 1] == '\\')) {
        continue;
      }
      int colon = at + usageKey.length;
      while (colon < tail.length && tail[colon] != ':') {
        colon++;
      }
      if (colon == tail.length) {
        continue; // "usage" with no colon after it is not a key; an earlier one may be
      }
      try (JsonParser p = Json.FACTORY.createParser(tail, colon + 1, tail.length - colon - 1)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        return reader.read(p);
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
