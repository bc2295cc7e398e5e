package dev.aigis.core.policy;

import com.google.re2j.Pattern;
import dev.aigis.model.policy.AccessRule;

/** One compiled {@code models} entry of an access rule; regular expressions are RE2 (linear time), matched whole. */
sealed interface ModelPattern {

  boolean matches(String model);

  static ModelPattern of(AccessRule.ModelMatch match) {
    return switch (match.type()) {
      case Exact -> new Exact(match.value());
      case Prefix -> new Prefix(match.value());
      case RegularExpression -> new Regex(Pattern.compile(match.value()));
    };
  }

  record Exact(String value) implements ModelPattern {
    public boolean matches(String model) {
      return value.equals(model);
    }
  }

  record Prefix(String value) implements ModelPattern {
    public boolean matches(String model) {
      return model.startsWith(value);
    }
  }

  record Regex(Pattern pattern) implements ModelPattern {
    public boolean matches(String model) {
      return pattern.matches(model);
    }
  }
}
