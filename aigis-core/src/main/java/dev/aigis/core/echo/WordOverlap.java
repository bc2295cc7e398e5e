package dev.aigis.core.echo;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How the echo model (and the test fakes of ranking APIs) score a document against a query: the
 * share of the query's words the document holds. Stable and explainable, so tests know the order.
 */
public final class WordOverlap {

  private WordOverlap() {}

  /** From 0 (no query word in the document) to 1 (all of them); 0 for a query without words. */
  public static double score(String query, String document) {
    Set<String> queryWords = words(query);
    if (queryWords.isEmpty()) {
      return 0;
    }
    Set<String> documentWords = words(document);
    long shared = queryWords.stream().filter(documentWords::contains).count();
    return (double) shared / queryWords.size();
  }

  private static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }
}
