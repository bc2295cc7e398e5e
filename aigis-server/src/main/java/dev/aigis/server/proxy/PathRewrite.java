package dev.aigis.server.proxy;

import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;

/** Gateway API URLRewrite path modifiers. */
final class PathRewrite {

  private PathRewrite() {}

  static String apply(RouteFilter.PathModifier modifier, RouteMatch match, String path) {
    return switch (modifier.type()) {
      case ReplaceFullPath -> modifier.value();
      case ReplacePrefixMatch -> replacePrefix(match.path().value(), modifier.value(), path);
    };
  }

  /**
   * Replaces the matched prefix, element-wise: prefix {@code /foo} with replacement {@code /bar}
   * turns {@code /foo/x} into {@code /bar/x}; replacement {@code /} turns it into {@code /x}.
   */
  static String replacePrefix(String prefix, String replacement, String path) {
    String trimmedPrefix = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
    String rest = "/".equals(trimmedPrefix) ? path : path.substring(Math.min(trimmedPrefix.length(), path.length()));
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
