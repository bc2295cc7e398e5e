package dev.aigis.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Decides whether a cached question is a paraphrase of the one asked, after the vector index found
 * it: the cosine of their embeddings must reach {@code similarity}, they must name the same
 * numbers, keep the order of their shared words ({@code minOrder}), and, when they share most of
 * their words ({@code tokenJaccard >= lexicalOverlap}: a near-duplicate, where one swapped word is
 * all that differs) substitute at most {@code maxSubstitutions} content words. Embeddings alone
 * serve "from Rome to Paris" for "from Paris to Rome"; these rules do not.
 *
 * <p>The shipped values ({@value #RESOURCE}) are chosen by {@code aigis cache train} on the dev
 * paraphrase pairs (a grid search for the highest hit rate at the target hit precision, with
 * cross-validated figures in the file's metadata).
 */
public record ParaphraseCheck(double similarity, double minOrder, double lexicalOverlap, int maxSubstitutions) {

  public static final String RESOURCE = "dev/aigis/core/cache/paraphrase-check.json";

  private static final class Shipped {
    static final ParaphraseCheck INSTANCE = load();

    private static ParaphraseCheck load() {
      try (InputStream in = ParaphraseCheck.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing");
        }
        return fromJson(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }

  /** The shipped check. */
  public static ParaphraseCheck shipped() {
    return Shipped.INSTANCE;
  }

  /** Only the cosine decides (no word-level rules). */
  public static ParaphraseCheck cosineOnly(double similarity) {
    return new ParaphraseCheck(similarity, 0, 2, Integer.MAX_VALUE);
  }

  /** The same rules with another similarity floor ({@code semantic.threshold}). */
  public ParaphraseCheck withSimilarity(double floor) {
    return new ParaphraseCheck(floor, minOrder, lexicalOverlap, maxSubstitutions);
  }

  public boolean accepts(String cached, String asked, double cosine) {
    if (cosine < similarity) {
      return false;
    }
    if (minOrder <= 0 && lexicalOverlap > 1) {
      return true; // cosine only
    }
    if (cached == null || asked == null) {
      return false; // an entry without its question cannot be checked word by word
    }
    return accepts(ParaphraseFeatures.of(cached, asked), cosine);
  }

  /** The rules on precomputed features (training evaluates many checks on the same pairs). */
  public boolean accepts(ParaphraseFeatures f, double cosine) {
    return cosine >= similarity && !f.numbersDiffer() && f.order() >= minOrder
        && (f.tokenJaccard() < lexicalOverlap || f.substitutions() <= maxSubstitutions);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("similarity", similarity);
    node.put("minOrder", minOrder);
    node.put("lexicalOverlap", lexicalOverlap);
    node.put("maxSubstitutions", maxSubstitutions);
    return node;
  }

  public static ParaphraseCheck fromJson(JsonNode node) {
    return new ParaphraseCheck(node.path("similarity").asDouble(), node.path("minOrder").asDouble(),
        node.path("lexicalOverlap").asDouble(), node.path("maxSubstitutions").asInt());
  }
}
