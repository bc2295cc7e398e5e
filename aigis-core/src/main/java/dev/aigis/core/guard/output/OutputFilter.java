package dev.aigis.core.guard.output;

import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.signature.SignatureHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Response content filter: flags a model answer that carries harmful content (weapons, malware,
 * drugs, fraud, self-harm, hate, violence, sexual content involving minors, theft) rather than a
 * refusal or a benign answer.
 *
 * <p>The answer is cut into windows the embedding model can read whole ({@link Windows}); each
 * window is scored by a logistic regression over its MiniLM embedding, its similarity to written
 * exemplars of each category, lexical cues (refusals, compliance, step lists, code, persona
 * labels) and the weight of the category rules it matches ({@code guard/output-rules.yaml}). The
 * answer's score is its highest window probability; it is flagged at the model's threshold, or
 * when one window's rule weights reach {@link OutputFeatures#RULE_FLAG} with no refusal in it.
 *
 * <p>Signals: when flagged, the categories first (the first is the main one: those of the rules
 * that matched the flagged windows, heaviest first, else the exemplar group nearest the highest
 * window), then
 * {@code classifier} when the model flagged; rule ids that matched any window are listed either
 * way. Never the text.
 *
 * <p>Thread-safe; {@link #score} is blocking CPU work (one embedding per window, about 8 ms each
 * on the reference machine; a 2 KB answer has 5 windows): call it on a worker pool.
 */
public final class OutputFilter implements TextScorer, OutputJudge {

  public static final String RULES = "guard/output-rules.yaml";

  private static volatile OutputFilter shipped;

  private final OutputFeatures features;
  private final OutputModel model;

  /**
   * The shipped rules, exemplars and model on the process-wide embedder, built on first use (about
   * a second with the embedder) and shared: the filter is immutable.
   */
  public static OutputFilter shipped() {
    OutputFilter f = shipped;
    if (f == null) {
      synchronized (OutputFilter.class) {
        f = shipped;
        if (f == null) {
          f = new OutputFilter(MiniLmEmbedder.shared(), OutputModel.shipped());
          shipped = f;
        }
      }
    }
    return f;
  }

  /** The shipped rules and exemplars with {@code model} (embedding the exemplars takes ~0.2 s). */
  public OutputFilter(Embedder embedder, OutputModel model) {
    this(new OutputFeatures(embedder, Exemplars.load(Exemplars.RESOURCE, embedder), OutputRules.fromResource(RULES)), model);
  }

  OutputFilter(OutputFeatures features, OutputModel model) {
    if (model.head().features() != features.dimension()) {
      throw new IllegalArgumentException("output model expects " + model.head().features()
          + " features, the filter makes " + features.dimension() + " (retrain after changing exemplars)");
    }
    if (model.head().meta().get("embeddingScale") instanceof Number scale && scale.floatValue() != OutputFeatures.EMBEDDING_SCALE) {
      throw new IllegalArgumentException("output model was trained with embedding scale " + scale + ", the filter uses "
          + OutputFeatures.EMBEDDING_SCALE + " (retrain)");
    }
    this.features = features;
    this.model = model;
  }

  public OutputModel model() {
    return model;
  }

  @Override
  public Scored score(String text) {
    List<Windows.Span> spans = Windows.spans(text, model.windowChars(), model.step(), model.maxWindows());
    double best = 0;
    float[] bestSims = null;
    boolean classifier = false;
    Map<String, Double> categories = new HashMap<>();
    Set<String> ruleIds = new LinkedHashSet<>();
    for (Windows.Span span : spans) {
      int start = span.start();
      int end = span.end();
      OutputFeatures.Window w = features.window(text.substring(start, end), text.substring(Math.max(0, start - OutputFeatures.CONTEXT), start));
      double p = model.head().probability(w.x());
      w.hits().forEach(h -> ruleIds.add(h.ruleId()));
      boolean byModel = p >= model.threshold();
      if (byModel || w.ruleFlag()) {
        w.hits().forEach(h -> categories.merge(h.category(), h.weight(), Math::max));
        classifier |= byModel;
      }
      if (p >= best) {
        best = p;
        bestSims = w.similarities();
      }
      if (w.ruleFlag()) {
        best = Math.max(best, 1.0);
      }
    }
    boolean flagged = classifier || best >= 1.0;
    List<String> signals = new ArrayList<>();
    if (flagged) {
      if (categories.isEmpty() && bestSims != null) {
        signals.add(features.exemplars().nearestCategory(bestSims));
      }
      categories.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .forEach(e -> signals.add(e.getKey()));
      if (classifier) {
        signals.add("classifier");
      }
    }
    signals.addAll(ruleIds);
    return new Scored(best, flagged, signals);
  }

  /** A monitor for one streamed answer, judging every {@link OutputStreamMonitor#DEFAULT_STRIDE} characters. */
  public OutputStreamMonitor monitor() {
    return new OutputStreamMonitor(this, OutputStreamMonitor.DEFAULT_STRIDE);
  }

  /** A monitor for one streamed answer, judging every {@code stride} new characters (at most the window size). */
  public OutputStreamMonitor monitor(int stride) {
    return new OutputStreamMonitor(this, stride);
  }

  @Override
  public int windowChars() {
    return model.windowChars();
  }

  @Override
  public String ruleBlock(String tail) {
    return features.ruleCategory(tail);
  }

  @Override
  public String judge(String window, String before) {
    OutputFeatures.Window w = features.window(window, before);
    if (!w.ruleFlag() && model.head().probability(w.x()) < model.threshold()) {
      return null;
    }
    return w.hits().stream().max(Comparator.comparingDouble(SignatureHit::weight)).map(SignatureHit::category)
        .orElseGet(() -> features.exemplars().nearestCategory(w.similarities()));
  }
}
