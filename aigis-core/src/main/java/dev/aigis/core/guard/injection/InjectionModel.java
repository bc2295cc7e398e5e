package dev.aigis.core.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.guard.classify.LogisticRegression;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What {@code aigis guard train --detector injection} writes and the detector loads: the feature
 * spec, the classifier's weights, the combiner that merges the classifier's logit with the
 * signature score, the shipped threshold on the combined score, and training metadata.
 */
public record InjectionModel(
    InjectionFeatures features,
    LogisticRegression classifier,
    Combiner combiner,
    double threshold,
    Map<String, Object> meta) {

  /** The shipped model's classpath resource. */
  public static final String RESOURCE = "guard/injection-model.json";

  public InjectionModel {
    meta = Map.copyOf(meta);
  }

  /**
   * A second, tiny logistic regression over {@code [classifier logit, signature score, any
   * signature hit]}: it learns how much a rule hit should move the classifier's verdict, from
   * out-of-fold classifier scores so the classifier's overconfidence on its own training rows does
   * not drown the rules.
   */
  public record Combiner(double logitWeight, double signatureWeight, double hitWeight, double bias) {

    public double probability(double classifierLogit, double signatureScore, boolean hit) {
      double z = bias + logitWeight * classifierLogit + signatureWeight * signatureScore + (hit ? hitWeight : 0);
      return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static Combiner of(LogisticRegression lr) {
      return new Combiner(lr.logit(new float[] {1, 0, 0}) - lr.logit(new float[3]),
          lr.logit(new float[] {0, 1, 0}) - lr.logit(new float[3]),
          lr.logit(new float[] {0, 0, 1}) - lr.logit(new float[3]),
          lr.logit(new float[3]));
    }
  }

  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", "aigis-injection-model/1");
    root.put("threshold", threshold);
    root.set("features", features.toJson());
    ObjectNode c = root.putObject("combiner");
    c.put("logitWeight", combiner.logitWeight());
    c.put("signatureWeight", combiner.signatureWeight());
    c.put("hitWeight", combiner.hitWeight());
    c.put("bias", combiner.bias());
    root.set("meta", Json.MAPPER.valueToTree(meta));
    root.set("classifier", classifier.toJson());
    return root;
  }

  @SuppressWarnings("unchecked")
  public static InjectionModel fromJson(JsonNode root) {
    JsonNode c = root.path("combiner");
    return new InjectionModel(
        InjectionFeatures.fromJson(root.path("features")),
        LogisticRegression.fromJson(root.path("classifier")),
        new Combiner(c.path("logitWeight").asDouble(), c.path("signatureWeight").asDouble(),
            c.path("hitWeight").asDouble(), c.path("bias").asDouble()),
        root.path("threshold").asDouble(),
        root.has("meta") ? Json.MAPPER.convertValue(root.get("meta"), Map.class) : Map.of());
  }

  /** The shipped model. */
  public static InjectionModel shipped() {
    try (InputStream in = InjectionModel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("model resource " + RESOURCE + " is missing");
      }
      return fromJson(Json.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model resource " + RESOURCE, e);
    }
  }
}
