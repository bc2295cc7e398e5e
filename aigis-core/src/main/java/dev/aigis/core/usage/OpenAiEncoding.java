package dev.aigis.core.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenAI's BPE encodings (through jtokkit), chosen by model name, counting text of any length in
 * bounded memory. Ranks load lazily, once per encoding, shared with {@link TokenCounter}; the
 * encoders are thread-safe.
 */
public enum OpenAiEncoding {
  /** GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series. */
  O200K_BASE(EncodingType.O200K_BASE),
  /** GPT-4, GPT-3.5 and the text-embedding-3 and ada-002 embedding models. */
  CL100K_BASE(EncodingType.CL100K_BASE);

  /**
   * Text is counted in pieces of about this many characters: jtokkit's encoder for one very long
   * pre-token (a megabyte without a space, such as base64 or a repeated character) needs memory far
   * beyond its length, and a 10 MB prompt must not take the gateway down.
   */
  static final int PIECE = 4096;
  /** A run with no space to cut before is cut this often; smaller pieces of one long pre-token encode faster. */
  static final int HARD_PIECE = 1024;

  private final EncodingType type;

  OpenAiEncoding(EncodingType type) {
    this.type = type;
  }

  /**
   * The encoding OpenAI uses for {@code model}, if it is an OpenAI model; a provider prefix such as
   * {@code openai/} is ignored.
   */
  public static Optional<OpenAiEncoding> forModel(String model) {
    if (model == null) {
      return Optional.empty();
    }
    String name = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o") || name.startsWith("gpt-4.1")
        || name.startsWith("gpt-4.5") || name.startsWith("gpt-5") || name.startsWith("o1")
        || name.startsWith("o3") || name.startsWith("o4") || name.startsWith("gpt-oss")) {
      return Optional.of(O200K_BASE);
    }
    if (name.startsWith("gpt-4") || name.startsWith("gpt-3.5") || name.startsWith("text-embedding-3")
        || name.startsWith("text-embedding-ada-002")) {
      return Optional.of(CL100K_BASE);
    }
    return Optional.empty();
  }

  Encoding encoding() {
    return Registry.ENCODINGS.getEncoding(type);
  }

  /**
   * Tokens in {@code text}, without special tokens. Exact for text with a space at least every 2K
   * characters: pieces are cut just before a space that follows a non-space, which is a boundary of
   * both encodings' pre-tokenizer. A longer run without one is cut every {@value #HARD_PIECE}
   * characters, which may split one token in two at each cut.
   */
  public long count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    if (text.length() >= CountCache.MIN_LENGTH && text.length() <= CountCache.MAX_LENGTH) {
      return CountCache.COUNTS.get(new CountCache.Key(this, text), key -> countUncached(key.text()));
    }
    return countUncached(text);
  }

  private long countUncached(String text) {
    Encoding encoding = encoding();
    if (text.length() <= PIECE) {
      return encoding.countTokensOrdinary(text);
    }
    long total = 0;
    for (int start = 0; start < text.length(); ) {
      int end = cut(text, start);
      total += encoding.countTokensOrdinary(text.substring(start, end));
      start = end;
    }
    return total;
  }

  private static int cut(String text, int start) {
    int limit = start + PIECE;
    if (limit >= text.length()) {
      return text.length();
    }
    for (int i = limit; i > start + PIECE / 2; i--) {
      if (text.charAt(i) == ' ' && !Character.isWhitespace(text.charAt(i - 1))) {
        return i;
      }
    }
    int hard = start + HARD_PIECE;
    return Character.isLowSurrogate(text.charAt(hard)) ? hard - 1 : hard;
  }

  /**
   * Counts of recent texts. Clients resend the same system prompt with every request and a whole
   * conversation with every turn, and byte-pair encoding costs about 40 ns a character here, so a
   * repeated message is counted once. Bounded by characters held (16 M, about 32 MB); texts shorter
   * than {@value #MIN_LENGTH} characters cost less to count than to look up.
   */
  private static final class CountCache {
    static final int MIN_LENGTH = 128;
    static final int MAX_LENGTH = 256 * 1024;
    static final com.github.benmanes.caffeine.cache.Cache<Key, Long> COUNTS =
        com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumWeight(16_000_000)
            .weigher((Key key, Long count) -> key.text().length())
            .executor(Runnable::run) // maintenance inline: no common-pool tasks from the event loop
            .build();

    record Key(OpenAiEncoding encoding, String text) {}
  }

  private static final class Registry {
    static final EncodingRegistry ENCODINGS = Encodings.newLazyEncodingRegistry();
  }
}
