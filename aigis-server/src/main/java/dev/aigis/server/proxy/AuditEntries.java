package dev.aigis.server.proxy;

import dev.aigis.core.identity.Identity;
import dev.aigis.core.policy.PolicyAttributes;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.server.audit.AuditChain;
import dev.aigis.server.audit.AuditLog;
import dev.aigis.server.audit.AuditRecord;
import java.util.List;
import java.util.Set;

/**
 * The audit record of a finished exchange, built on its event loop from what the exchange holds.
 *
 * <p>Which exchanges are audited: those that went out to a network backend (a URL endpoint; the
 * built-in echo model makes no outbound call) and those a policy refused (they never reach a
 * backend, but the refusal is a decision the audit log must show). Requests that fail before
 * routing for other reasons (a bad path, no route) call no one and are left to the access log.
 */
final class AuditEntries {

  /** Error codes of policy refusals: authentication, access rules, rate limits and budgets. */
  static final Set<String> POLICY_REFUSALS = Set.of("invalid_api_key", "model_access_denied",
      "rate_limit_exceeded", "insufficient_quota", "rate_limit_unavailable", "guardrail_violation", "anomalous_traffic");

  private AuditEntries() {}

  /** What Retrieval processors injected, by knowledge base; null when none ran. */
  private static List<AuditRecord.Retrieval> retrieval(Exchange exchange) {
    var sources = exchange.context.attributes().get(dev.aigis.core.rag.RagAttributes.SOURCES);
    return sources == null ? null : sources.used().stream()
        .map(used -> new AuditRecord.Retrieval(used.knowledgeBase(), used.sources())).toList();
  }

  /** Where a SemanticRoute processor sent the request; null when none decided. */
  private static AuditRecord.SemanticRoute semanticRoute(Exchange exchange) {
    var decision = exchange.context.attributes().get(dev.aigis.core.routing.semantic.RouteAttributes.DECISION);
    return decision == null ? null : new AuditRecord.SemanticRoute(decision.metricRoute(), decision.target(),
        Math.floor(decision.confidence() * 100) / 100, decision.reason());
  }

  /** The record for {@code exchange}, or null when it is not audited. */
  static AuditRecord of(Exchange exchange, int status, long durationNanos, AuditLog.Content content) {
    String host = exchange.backend() != null
        && exchange.backend().backend().backend().endpoint() instanceof BackendEndpoint.Url url ? url.authority() : null;
    boolean refused = exchange.errorCode != null && POLICY_REFUSALS.contains(exchange.errorCode);
    var findings = exchange.context.attributes().get(dev.aigis.core.guard.processor.GuardAttributes.FINDINGS);
    List<AuditRecord.Guard> guards = findings == null ? List.of() : findings.all().stream()
        .map(f -> new AuditRecord.Guard(f.guard(), f.decision(), f.signals())).toList();
    if (host == null && !refused && guards.isEmpty()) {
      return null;
    }
    Identity identity = exchange.context.attributes().get(PolicyAttributes.IDENTITY);
    AuditRecord.Policy policy = refused ? new AuditRecord.Policy("denied", exchange.errorCode)
        : identity != null ? new AuditRecord.Policy("allowed", null) : null;
    TokenUsage usage = exchange.usage;
    String backend = exchange.backend() == null ? null : exchange.backendName();
    // The retry/failover path: every earlier attempt with how it ended, then the last one.
    List<AuditRecord.Attempt> attempts = new java.util.ArrayList<>(exchange.earlierAttempts);
    if (host != null) {
      attempts.add(exchange.upstreamStatus > 0
          ? new AuditRecord.Attempt(backend, host, exchange.upstreamStatus, null)
          : new AuditRecord.Attempt(backend, host, null, exchange.errorCode == null ? "no_answer" : exchange.errorCode));
    }
    String requestHash = null;
    if (content == AuditLog.Content.HASH && exchange.processed != null && exchange.processed.body() != null) {
      requestHash = AuditChain.hash(exchange.processed.body());
    }
    return new AuditRecord(
        exchange.requestId,
        identity == null ? null : identity.name(),
        identity == null ? null : identity.team(),
        exchange.match() == null ? null : exchange.routeName(),
        backend,
        host,
        exchange.match() == null ? exchange.body.model() : exchange.context.model(),
        status,
        exchange.errorCode,
        policy,
        usage == null ? null : new AuditRecord.Tokens(usage.input(), usage.output(), usage.total()),
        durationNanos / 1_000_000,
        exchange.ttftNanos < 0 ? null : exchange.ttftNanos / 1_000_000,
        attempts,
        requestHash,
        guards,
        retrieval(exchange),
        semanticRoute(exchange));
  }
}
