package dev.aigis.model.route;

import java.util.List;

/** The HTTPRoute filters Aigis implements, a closed set. */
public sealed interface RouteFilter {

  record HeaderValue(String name, String value) {}

  /** set replaces, add appends, remove deletes (names case-insensitive). */
  record HeaderModifier(List<HeaderValue> set, List<HeaderValue> add, List<String> remove) {
    public HeaderModifier {
      set = set == null ? List.of() : List.copyOf(set);
      add = add == null ? List.of() : List.copyOf(add);
      remove = remove == null ? List.of() : List.copyOf(remove);
    }
  }

  record RequestHeaderModifier(HeaderModifier modifier) implements RouteFilter {}

  record ResponseHeaderModifier(HeaderModifier modifier) implements RouteFilter {}

  /**
   * Runs a PayloadProcessor at this point of the filter list (Gateway API's ExtensionRef:
   * {@code group: aigis.dev, kind: PayloadProcessor}). One that cannot be resolved is never
   * skipped: validation refuses it.
   */
  record ExtensionRef(String group, String kind, String name) implements RouteFilter {}

  /** Rewrites the host and/or path before the request goes upstream. Either part is nullable. */
  record UrlRewrite(String hostname, PathModifier path) implements RouteFilter {}

  /** {@code ReplaceFullPath} replaces the whole path; {@code ReplacePrefixMatch} replaces the matched PathPrefix. */
  record PathModifier(Type type, String value) {
    public enum Type { ReplaceFullPath, ReplacePrefixMatch }
  }
}
