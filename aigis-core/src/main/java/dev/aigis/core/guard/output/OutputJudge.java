package dev.aigis.core.guard.output;

/**
 * What {@link OutputStreamMonitor} asks of the filter; tests give it a fake. Blocking.
 */
interface OutputJudge {

  /** Characters of the most recent text the classifier reads. */
  int windowChars();

  /** The category when the category rules alone flag {@code tail}, else null. Cheap (regex only). */
  String ruleBlock(String tail);

  /** The category when {@code window} is harmful, else null; {@code before} is the text just before it. */
  String judge(String window, String before);
}
