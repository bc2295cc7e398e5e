package dev.aigis.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.aigis.core.embedding.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Embedded exemplar texts by group ({@code guard/output-exemplars.yaml}): the nearest exemplar of
 * each group is a feature, and the harm group nearest to a flagged window names its category.
 * Groups {@code refusal} and {@code benign} are anchors, not categories. Immutable, thread-safe.
 */
final class Exemplars {

  static final String RESOURCE = "guard/output-exemplars.yaml";
  private static final List<String> ANCHORS = List.of("refusal", "benign", "jailbroken");

  private final List<String> groups;
  private final List<List<float[]>> vectors;

  Exemplars(Map<String, List<float[]>> byGroup) {
    this.groups = List.copyOf(byGroup.keySet());
    this.vectors = byGroup.values().stream().map(List::copyOf).toList();
  }

  /** Reads the texts of a YAML resource ({@code groups: {name: [text, ...]}}) and embeds them, in file order. */
  static Exemplars load(String resource, Embedder embedder) {
    JsonNode root;
    try (InputStream in = Exemplars.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("exemplar resource " + resource + " is missing");
      }
      root = new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read exemplar resource " + resource, e);
    }
    Map<String, List<float[]>> byGroup = new java.util.LinkedHashMap<>();
    root.path("groups").properties().forEach(group -> {
      List<String> texts = new ArrayList<>();
      group.getValue().forEach(t -> texts.add(t.asText()));
      if (texts.isEmpty()) {
        throw new IllegalArgumentException(resource + ": group " + group.getKey() + " has no texts");
      }
      byGroup.put(group.getKey(), embedder.embedAll(texts));
    });
    return new Exemplars(byGroup);
  }

  List<String> groups() {
    return groups;
  }

  /** The highest cosine between {@code v} and each group's exemplars, in group order. */
  float[] similarities(float[] v) {
    float[] out = new float[groups.size()];
    for (int g = 0; g < out.length; g++) {
      double best = -1;
      for (float[] e : vectors.get(g)) {
        best = Math.max(best, Embedder.cosine(v, e));
      }
      out[g] = (float) best;
    }
    return out;
  }

  /** The harm group with the highest similarity (anchors skipped). */
  String nearestCategory(float[] similarities) {
    String best = "harmful";
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int g = 0; g < groups.size(); g++) {
      if (!ANCHORS.contains(groups.get(g)) && similarities[g] > bestScore) {
        bestScore = similarities[g];
        best = groups.get(g);
      }
    }
    return best;
  }
}
