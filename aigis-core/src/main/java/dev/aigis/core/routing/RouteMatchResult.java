package dev.aigis.core.routing;

import dev.aigis.model.HttpRoute;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteRule;

/**
 * The winning match. Instances are built when the router is compiled and shared by every request
 * that takes this match, so they hold no per-request state.
 *
 * @param ruleIndex index of {@code rule} in {@code route.rules()}
 * @param match the {@link RouteMatch} of {@code rule} that succeeded ({@link RouteMatch#DEFAULT} for a rule without matches)
 * @param backends the rule's weighted backends
 */
public record RouteMatchResult(HttpRoute route, int ruleIndex, RouteRule rule, RouteMatch match, BackendSelector backends) {}
