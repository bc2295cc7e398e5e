package dev.aigis.core.guard.pii;

import java.util.List;

/**
 * Finds candidate matches of one or a few entity types. Candidates may overlap each other; the
 * scanner keeps the longest. Implementations are stateless and thread-safe, and linear in the
 * text (RE2J patterns plus checks over each candidate).
 */
interface Recognizer {

  void find(String text, List<PiiMatch> out);
}
