package dev.aigis.core.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the paraphrase check reads from two questions besides their embeddings' cosine: word
 * overlap, order-sensitive overlap (bigrams, trigrams, the relative order of shared words) and
 * number mismatches. Embeddings barely see word order, so "flights from Paris to Rome" and "from
 * Rome to Paris" look alike to them; these features do not. Pure functions, microseconds per pair.
 */
public final class ParaphraseFeatures {

  /** The feature names, in the order {@link #of} returns them (saved with the model). */
  public static final List<String> NAMES = List.of("cosine", "token_jaccard", "bigram_jaccard", "trigram_jaccard",
      "order_agreement", "number_mismatch", "length_ratio", "cosine_x_bigram");

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern NUMBER = Pattern.compile("\\p{N}+");

  private ParaphraseFeatures() {}

  public static float[] of(String cached, String asked, double cosine) {
    List<String> a = words(cached);
    List<String> b = words(asked);
    double bigrams = jaccard(grams(a, 2), grams(b, 2));
    return new float[] {
        (float) cosine,
        (float) jaccard(new HashSet<>(a), new HashSet<>(b)),
        (float) bigrams,
        (float) jaccard(grams(a, 3), grams(b, 3)),
        (float) orderAgreement(a, b),
        numbers(cached).equals(numbers(asked)) ? 0f : 1f,
        a.isEmpty() || b.isEmpty() ? 0f : (float) Math.min(a.size(), b.size()) / Math.max(a.size(), b.size()),
        (float) (cosine * bigrams)};
  }

  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static Set<String> numbers(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = NUMBER.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static Set<String> grams(List<String> words, int n) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + n <= words.size(); i++) {
      out.add(String.join(" ", words.subList(i, i + n)));
    }
    return out;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    int common = 0;
    for (String x : a) {
      if (b.contains(x)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }

  /**
   * Of the pairs of words that occur once in each question, the share that appear in the same
   * order in both (1 when fewer than two are shared): a swap of two names drops it.
   */
  private static double orderAgreement(List<String> a, List<String> b) {
    Map<String, Integer> inA = uniquePositions(a);
    Map<String, Integer> inB = uniquePositions(b);
    List<int[]> shared = new ArrayList<>();
    inA.forEach((word, i) -> {
      Integer j = inB.get(word);
      if (j != null) {
        shared.add(new int[] {i, j});
      }
    });
    if (shared.size() < 2) {
      return 1;
    }
    long same = 0;
    long pairs = 0;
    for (int x = 0; x < shared.size(); x++) {
      for (int y = x + 1; y < shared.size(); y++) {
        pairs++;
        if (Integer.signum(shared.get(x)[0] - shared.get(y)[0]) == Integer.signum(shared.get(x)[1] - shared.get(y)[1])) {
          same++;
        }
      }
    }
    return (double) same / pairs;
  }

  private static Map<String, Integer> uniquePositions(List<String> words) {
    Map<String, Integer> positions = new HashMap<>();
    Set<String> repeated = new HashSet<>();
    for (int i = 0; i < words.size(); i++) {
      if (positions.putIfAbsent(words.get(i), i) != null) {
        repeated.add(words.get(i));
      }
    }
    repeated.forEach(positions::remove);
    return positions;
  }
}
