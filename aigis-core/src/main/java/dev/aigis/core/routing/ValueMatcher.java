package dev.aigis.core.routing;

import dev.aigis.model.route.RouteMatch.MatchType;
import com.google.re2j.Pattern;

/** A compiled header or query-parameter value condition. A null value never matches. */
sealed interface ValueMatcher {

  boolean matches(String value);

  static ValueMatcher compile(MatchType type, String value) {
    return switch (type) {
      case Exact -> new Exact(value);
      case RegularExpression -> new Regex(Pattern.compile(value));
      case PathPrefix -> throw new IllegalArgumentException("PathPrefix is not a header or query parameter match type");
    };
  }

  /** Case-sensitive. */
  record Exact(String expected) implements ValueMatcher {
    @Override
    public boolean matches(String value) {
      return expected.equals(value);
    }
  }

  /** Must match the whole value; RE2 semantics, linear in the value whatever the pattern. */
  record Regex(Pattern pattern) implements ValueMatcher {
    @Override
    public boolean matches(String value) {
      return value != null && pattern.matcher(value).matches();
    }
  }
}
