package dev.aigis.core.routing;

import java.time.Instant;
import java.util.Comparator;

/**
 * The order in which matches sharing one hostname tier are tried; the first that succeeds wins.
 * See the package documentation for the rules and where they come from.
 */
final class Precedence {

  /**
   * A route with no creation time sorts after every route that has one, and equal to others
   * without: "null equals anything" would not be a total order and would break sorting.
   */
  static final Comparator<CompiledMatch> ORDER = Comparator
      .comparingInt((CompiledMatch m) -> m.path().rank())
      .thenComparing(Comparator.comparingInt((CompiledMatch m) -> m.path().specificity()).reversed())
      .thenComparing(CompiledMatch::hasMethod, Comparator.reverseOrder())
      .thenComparing(Comparator.comparingInt(CompiledMatch::headerCount).reversed())
      .thenComparing(Comparator.comparingInt(CompiledMatch::queryCount).reversed())
      .thenComparing((CompiledMatch m) -> m.route().metadata().creationTimestamp(), Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
      .thenComparing((CompiledMatch m) -> m.route().metadata().qualifiedName())
      .thenComparingInt(CompiledMatch::routeIndex)
      .thenComparingInt(CompiledMatch::ruleIndex)
      .thenComparingInt(CompiledMatch::matchIndex);

  private Precedence() {}
}
