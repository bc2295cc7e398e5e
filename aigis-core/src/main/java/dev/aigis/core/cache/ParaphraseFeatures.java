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
 * What the paraphrase check reads from two questions besides their embeddings' cosine. Embeddings
 * barely see word order or a swapped word, so "flights from Paris to Rome" and "from Rome to
 * Paris", or "the 40 people rescued" and "the 43 people rescued", look alike to them; these
 * features do not. Pure functions, microseconds per pair.
 *
 * @param order of the words that occur once in each question, the share of pairs that keep their
 *     relative order (1 when fewer than two are shared)
 * @param tokenJaccard shared words over all words (lower-cased, letters and digits)
 * @param substitutions content words (not in a short stop list) that one question has in place of
 *     another's: the smaller of the two one-sided differences
 * @param numbersDiffer whether the two name different numbers
 */
public record ParaphraseFeatures(double order, double tokenJaccard, int substitutions, boolean numbersDiffer) {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern NUMBER = Pattern.compile("\\p{N}+");
  /** Function words whose swap never changes what is asked ("what is" / "what's", "a" / "the"). */
  private static final Set<String> STOP = Set.of(("a an the is are was were be been am do does did of to in on at for by"
      + " with from and or s it this that what which who how i you me my your can could would should will please tell")
      .split(" "));

  public static ParaphraseFeatures of(String cached, String asked) {
    List<String> a = words(cached);
    List<String> b = words(asked);
    Set<String> setA = new HashSet<>(a);
    Set<String> setB = new HashSet<>(b);
    return new ParaphraseFeatures(orderAgreement(a, b), jaccard(setA, setB), substitutions(setA, setB),
        !numbers(cached).equals(numbers(asked)));
  }

  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static int substitutions(Set<String> a, Set<String> b) {
    int onlyA = 0;
    for (String word : a) {
      if (!b.contains(word) && !STOP.contains(word)) {
        onlyA++;
      }
    }
    int onlyB = 0;
    for (String word : b) {
      if (!a.contains(word) && !STOP.contains(word)) {
        onlyB++;
      }
    }
    return Math.min(onlyA, onlyB);
  }

  private static Set<String> numbers(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = NUMBER.matcher(text);
    while (m.find()) {
      out.add(m.group());
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
