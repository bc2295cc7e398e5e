package dev.aigis.core.routing.semantic;

import dev.aigis.core.exchange.AttributeKey;

/** What a SemanticRoute processor leaves on the exchange and on the messages. */
public final class RouteAttributes {

  /** The decision, for the access log and the audit record. */
  public static final AttributeKey<RouteDecision> DECISION = AttributeKey.of("semanticRoute.decision", RouteDecision.class);

  /** Why the request went where it went; on the upstream request and the client's response. */
  public static final String REASON_HEADER = "x-aigis-route-reason";

  private RouteAttributes() {}
}
