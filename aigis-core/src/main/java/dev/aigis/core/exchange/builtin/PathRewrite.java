package dev.aigis.core.exchange.builtin;

import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;

/** Gateway API URLRewrite path modifiers. */
public final class PathRewrite {

  private PathRewrite() {}

  public static String apply(RouteFilter.PathModifier modifier, RouteMatch match, String path) {
    return switch (modifier.type()) {
      case ReplaceFullPath -> modifier.value();
      case ReplacePrefixMatch -> match.path() == null ? path : replacePrefix(match.path().value(), modifier.value(), path);
    };
  }

  /**
   * Replaces the matched prefix, element-wise: prefix {@code /foo} with replacement {@code /bar}
   * turns {@code /foo/x} into {@code /bar/x}; replacement {@code /} turns it into {@code /x}. A
   * path that does not start with the prefix at a segment boundary (a translated backend path
   * such as {@code /v1beta/...} under prefix {@code /v1}) is left as it is.
   */
  public static String replacePrefix(String prefix, String replacement, String path) {
    String trimmedPrefix = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
    boolean root = "/".equals(trimmedPrefix);
    if (!root && !(path.startsWith(trimmedPrefix)
        && (path.length() == trimmedPrefix.length() || path.charAt(trimmedPrefix.length()) == '/'))) {
      return path;
    }
    String rest = root ? path : path.substring(trimmedPrefix.length());
    String base = replacement.endsWith("/") ? replacement.substring(0, replacement.length() - 1) : replacement;
    if (rest.isEmpty()) {
      return base.isEmpty() ? "/" : base;
    }
    if (!rest.startsWith("/")) {
      rest = "/" + rest;
    }
    return base + rest;
  }
}
