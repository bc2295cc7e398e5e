package dev.aigis.core.usage;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * Counts tokens with OpenAI's o200k_base BPE (the GPT-4o family's tokenizer) through jtokkit.
 * The encoding's ranks load once, lazily, on first use (shared with {@link OpenAiEncoding}); the
 * encoder is thread-safe. For text of unbounded length, use {@link OpenAiEncoding#count}.
 */
public final class TokenCounter {

  private static final class Holder {
    static final Encoding O200K = OpenAiEncoding.O200K_BASE.encoding();
  }

  private TokenCounter() {}

  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : Holder.O200K.countTokensOrdinary(text);
  }

  /** Splits text into the strings of its tokens, for streaming a reply token by token. */
  public static java.util.List<String> split(String text) {
    IntArrayList tokens = Holder.O200K.encodeOrdinary(text);
    var pieces = new java.util.ArrayList<String>(tokens.size());
    var pending = new IntArrayList();
    for (int i = 0; i < tokens.size(); i++) {
      pending.add(tokens.get(i));
      String decoded = Holder.O200K.decode(pending);
      // A token can end inside a multi-byte character; hold it until the character is whole.
      if (!decoded.endsWith("\uFFFD")) {
        pieces.add(decoded);
        pending = new IntArrayList();
      }
    }
    if (pending.size() > 0) {
      pieces.add(Holder.O200K.decode(pending));
    }
    return pieces;
  }
}
