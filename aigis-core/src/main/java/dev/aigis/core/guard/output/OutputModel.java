package dev.aigis.core.guard.output;

import dev.aigis.core.guard.classify.LogisticRegression;
import java.util.Map;

/**
 * The trained head and the settings it was trained with, read from the model JSON's metadata so a
 * filter always windows text the way its model saw it.
 *
 * @param head logistic regression over {@link OutputFeatures} of one window
 * @param threshold a window (and so an answer) is flagged when its probability is at least this
 * @param windowChars characters per window
 * @param step characters between window starts in a whole answer
 * @param maxWindows most windows judged per whole answer
 */
public record OutputModel(LogisticRegression head, double threshold, int windowChars, int step, int maxWindows) {

  /** The shipped model's classpath resource. */
  public static final String RESOURCE = "guard/output-model.json";

  public static final int DEFAULT_WINDOW = 512;
  public static final int DEFAULT_STEP = 384;
  public static final int DEFAULT_MAX_WINDOWS = 12;

  public OutputModel {
    if (windowChars < 64 || step < 1 || step > windowChars || maxWindows < 2) {
      throw new IllegalArgumentException("output model needs windowChars >= 64, 1 <= step <= windowChars, maxWindows >= 2");
    }
  }

  /** The model shipped in {@link #RESOURCE}. */
  public static OutputModel shipped() {
    return of(LogisticRegression.fromResource(RESOURCE));
  }

  /** A head with its settings from its metadata (defaults where absent). */
  public static OutputModel of(LogisticRegression head) {
    Map<String, Object> meta = head.meta();
    return new OutputModel(head,
        number(meta, "threshold", 0.5),
        (int) number(meta, "windowChars", DEFAULT_WINDOW),
        (int) number(meta, "step", DEFAULT_STEP),
        (int) number(meta, "maxWindows", DEFAULT_MAX_WINDOWS));
  }

  private static double number(Map<String, Object> meta, String key, double fallback) {
    return meta.get(key) instanceof Number n ? n.doubleValue() : fallback;
  }
}
