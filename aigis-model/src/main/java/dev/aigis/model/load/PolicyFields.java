package dev.aigis.model.load;

import dev.aigis.model.Names;
import dev.aigis.model.processing.TargetRef;
import java.util.Set;

/**
 * Field rules the policy kinds (AccessPolicy, RateLimitPolicy) share: the {@code targetRef} block,
 * rule names, CEL strings and RE2 patterns. Whether a target exists is the snapshot compiler's.
 */
final class PolicyFields {

  private PolicyFields() {}

  /** The required {@code targetRef}; its group and kind are checked against the snapshot's resources later. */
  static TargetRef targetRef(Fields spec) {
    Fields target = spec.requiredObject("targetRef", "group", "kind", "name");
    return target == null ? null
        : new TargetRef(target.string("group"), target.requiredString("kind"), target.requiredString("name"));
  }

  /**
   * A required name that is a DNS label and unique among {@code seen} (which it joins): rule and provider
   * names appear in metrics, logs and the identity, so they keep to the safest syntax.
   */
  static String uniqueName(Fields fields, String what, Set<String> seen) {
    String name = fields.requiredString("name");
    if (name == null || name.isEmpty()) {
      return name;
    }
    if (!Names.isDnsLabel(name)) {
      fields.error("name", "invalid " + what + " name \"" + name
          + "\": must be lowercase letters, digits and '-', starting and ending with a letter or digit");
    } else if (!seen.add(name)) {
      fields.error("name", "duplicate " + what + " name \"" + name + "\"");
    }
    return name;
  }

  /**
   * A CEL expression, checked only for being there: the server compiles CEL (the model module has no
   * CEL environment) and reports its errors on the same field path.
   */
  static String expression(Fields fields, String field, boolean required) {
    String text = required ? fields.requiredString(field) : fields.string(field);
    if (text != null && text.isBlank()) {
      fields.error(field, "must not be blank");
      return null;
    }
    return text;
  }

  /**
   * A pattern matched on every request, so RE2 (linear time, no backtracking): one that needs what RE2
   * leaves out (back-references, look-around) is refused with the reason, as route regexes are.
   */
  static void regex(Fields fields, String field, String regex) {
    try {
      com.google.re2j.Pattern.compile(regex);
    } catch (com.google.re2j.PatternSyntaxException e) {
      fields.error(field, "invalid regular expression \"" + regex + "\": " + e.getDescription() + " (RE2 syntax)");
    }
  }
}
