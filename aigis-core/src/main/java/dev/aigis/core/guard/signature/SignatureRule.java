package dev.aigis.core.guard.signature;

import java.util.List;

/**
 * One rule of a signature file, as written.
 *
 * @param id unique within its file; lowercase letters, digits and {@code -}
 * @param category lowercase words joined by {@code -}, e.g. {@code instruction-override}
 * @param weight in [0, 1]; how sure a hit alone makes us; 0 switches the rule off (and removes a
 *     rule of the same id from an earlier set in a merge)
 * @param description for people reading the file and audit explanations
 * @param patterns RE2 syntax, matched case-insensitively on normalised text; any one firing is a
 *     hit; empty only when the weight is 0
 * @param source the file or resource the rule came from
 */
public record SignatureRule(
    String id,
    String category,
    double weight,
    String description,
    List<String> patterns,
    String source) {

  public SignatureRule {
    patterns = List.copyOf(patterns);
  }

  public boolean disabled() {
    return weight == 0;
  }
}
