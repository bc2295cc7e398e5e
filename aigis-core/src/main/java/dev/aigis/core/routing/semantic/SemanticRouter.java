package dev.aigis.core.routing.semantic;

import dev.aigis.core.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A compiled semantic routing table: the classifier over the examples' embeddings, the routes'
 * targets, the confidence threshold and the default target. The gateway's processor and
 * {@code aigis route eval} build it the same way ({@link #build}), so measured figures are what a
 * configuration gets. Immutable and thread-safe.
 */
public final class SemanticRouter {

  /** Texts embedded per call while building: below the embedding service's queue bound. */
  public static final int BUILD_CHUNK = 256;

  private final List<RouteExamples.Route> routes;
  private final NearestExamples classifier;
  private final double threshold;
  private final String defaultTarget;

  SemanticRouter(List<RouteExamples.Route> routes, NearestExamples classifier, double threshold,
      String defaultTarget) {
    this.routes = routes;
    this.classifier = classifier;
    this.threshold = threshold;
    this.defaultTarget = defaultTarget;
  }

  /**
   * Embeds every example (blocking: call it where blocking is fine, such as configuration load) and
   * builds the classifier.
   *
   * @param defaultTarget null to leave requests that take no route as they came
   * @param progress told the number of examples embedded so far, after each chunk
   */
  public static SemanticRouter build(RouteExamples examples, int neighbours, double threshold, String defaultTarget,
      Embedder embedder, IntConsumer progress) {
    List<String> texts = new ArrayList<>(examples.size());
    int[] labels = new int[examples.size()];
    int n = 0;
    for (int r = 0; r < examples.routes().size(); r++) {
      for (String text : examples.routes().get(r).texts()) {
        texts.add(text);
        labels[n++] = r;
      }
    }
    for (String text : examples.outOfScope()) {
      texts.add(text);
      labels[n++] = NearestExamples.OUT_OF_SCOPE;
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += BUILD_CHUNK) {
      vectors.addAll(embedder.embedAll(texts.subList(from, Math.min(texts.size(), from + BUILD_CHUNK))));
      progress.accept(vectors.size());
    }
    return new SemanticRouter(examples.routes(),
        new NearestExamples(vectors, labels, examples.routes().size(), neighbours), threshold, defaultTarget);
  }

  /** The decision for a request whose classified text embeds as {@code vector}. */
  public RouteDecision decide(float[] vector) {
    NearestExamples.Classification found = classifier.classify(vector);
    if (found.label() == NearestExamples.OUT_OF_SCOPE) {
      return new RouteDecision(RouteDecision.Outcome.OUT_OF_SCOPE, null, defaultTarget, found.confidence(), threshold);
    }
    RouteExamples.Route route = routes.get(found.label());
    return found.confidence() >= threshold
        ? new RouteDecision(RouteDecision.Outcome.ROUTED, route.name(), route.target(), found.confidence(), threshold)
        : new RouteDecision(RouteDecision.Outcome.LOW_CONFIDENCE, route.name(), defaultTarget, found.confidence(),
            threshold);
  }

  /** The decision for a request with nothing to classify. */
  public RouteDecision noText() {
    return new RouteDecision(RouteDecision.Outcome.NO_TEXT, null, defaultTarget, 0, threshold);
  }

  public int examples() {
    return classifier.size();
  }
}
