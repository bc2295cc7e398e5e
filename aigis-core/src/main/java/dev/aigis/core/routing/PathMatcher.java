package dev.aigis.core.routing;

import dev.aigis.model.route.RouteMatch.PathMatch;
import com.google.re2j.Pattern;

/** A compiled path condition, with the two keys path precedence sorts on. */
sealed interface PathMatcher {

  boolean matches(String path);

  /** Precedence class: Exact, then PathPrefix, then RegularExpression. */
  int rank();

  /** Within a class, larger wins: prefix characters or regex pattern length. */
  int specificity();

  static PathMatcher compile(PathMatch match) {
    return switch (match.type()) {
      case Exact -> new Exact(match.value());
      case PathPrefix -> new Prefix(stripTrailingSlashes(match.value()));
      case RegularExpression -> new Regex(Pattern.compile(match.value()));
    };
  }

  /**
   * Gateway API ignores a trailing slash in a prefix, so {@code /foo/} and {@code /foo} accept the
   * same paths; they also get the same specificity so neither outranks the other by spelling.
   */
  private static String stripTrailingSlashes(String prefix) {
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == '/') {
      end--;
    }
    return prefix.substring(0, end);
  }

  record Exact(String value) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      return value.equals(path);
    }

    @Override
    public int rank() {
      return 0;
    }

    /** Two different Exact paths never both match, so length decides nothing; ties go to the next rule. */
    @Override
    public int specificity() {
      return 0;
    }
  }

  /** {@code prefix} has no trailing slash; the empty prefix (from {@code /}) matches every path. */
  record Prefix(String prefix) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      // Element-wise: "/foo" accepts "/foo", "/foo/" and "/foo/bar", never "/foobar".
      return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    @Override
    public int rank() {
      return 1;
    }

    @Override
    public int specificity() {
      return prefix.length();
    }
  }

  /**
   * Must match the whole path. RE2 semantics: time linear in the path whatever the pattern, so a
   * configured pattern cannot stall an event loop by backtracking.
   */
  record Regex(Pattern pattern) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      return pattern.matcher(path).matches();
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public int specificity() {
      return pattern.pattern().length();
    }
  }
}
