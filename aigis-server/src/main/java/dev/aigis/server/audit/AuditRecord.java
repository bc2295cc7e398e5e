package dev.aigis.server.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the audit log says about one finished exchange that called (or tried to call) a backend or
 * was refused by a policy. Never holds prompt or completion text, nor any credential; the
 * {@link AuditLog} adds {@code seq}, {@code time}, {@code type} and {@code prev} when it writes it.
 *
 * @param requestId the exchange's {@code x-request-id}
 * @param identity the caller's identity name (API key name or JWT subject), or null when none
 * @param team the caller's team, or null
 * @param route {@code namespace/name} of the matched HTTPRoute, or null before routing
 * @param backend the backend's key, or null when none was picked
 * @param host the upstream authority ({@code host:port}), or null when none
 * @param model the model routing saw, or null
 * @param status the status the client got
 * @param errorCode the gateway's error code, or null
 * @param policy the policy decision taken, or null when no policy looked at the exchange
 * @param tokens token counts read from the answer, or null when unknown
 * @param latencyMs from the first request byte to the end
 * @param ttftMs until the first response byte, or null when none was written
 * @param attempts the retry/failover path, one entry per upstream attempt in order (today: at most one)
 * @param requestSha256 hex SHA-256 of the request body as sent upstream, only with content {@code hash}
 * @param guardrails what Guardrail processors found, in order; absent when none fired
 * @param retrieval which knowledge-base chunks Retrieval processors injected, in order; absent when none ran
 * @param semanticRoute where a SemanticRoute processor sent the request and why; absent when none ran
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"requestId", "identity", "team", "route", "backend", "host", "model", "status", "errorCode",
    "policy", "tokens", "latencyMs", "ttftMs", "attempts", "requestSha256", "guardrails", "retrieval",
    "semanticRoute"})
public record AuditRecord(
    String requestId,
    String identity,
    String team,
    String route,
    String backend,
    String host,
    String model,
    int status,
    String errorCode,
    Policy policy,
    Tokens tokens,
    long latencyMs,
    Long ttftMs,
    List<Attempt> attempts,
    String requestSha256,
    List<Guard> guardrails,
    List<Retrieval> retrieval,
    SemanticRoute semanticRoute) {

  public AuditRecord {
    retrieval = retrieval == null || retrieval.isEmpty() ? null : List.copyOf(retrieval);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    guardrails = guardrails == null || guardrails.isEmpty() ? null : List.copyOf(guardrails);
  }

  /** One guard's finding: the guard, its decision and the signals that fired (rule ids, entity types); never text. */
  public record Guard(String guard, String decision, List<String> signals) {}

  /** @param sources chunk markers such as {@code guide.md#3}, empty when nothing matched; never text */
  public record Retrieval(String knowledgeBase, List<String> sources) {}

  /**
   * A SemanticRoute decision: the configured route that won ({@code default} or
   * {@code out_of_scope} when none did), the target written, the confidence and the reason header's text.
   */
  public record SemanticRoute(String route, String target, double confidence, String reason) {}

  /** Without a semantic route. */
  public AuditRecord(String requestId, String identity, String team, String route, String backend, String host,
      String model, int status, String errorCode, Policy policy, Tokens tokens, long latencyMs, Long ttftMs,
      List<Attempt> attempts, String requestSha256, List<Guard> guardrails, List<Retrieval> retrieval) {
    this(requestId, identity, team, route, backend, host, model, status, errorCode, policy, tokens, latencyMs, ttftMs,
        attempts, requestSha256, guardrails, retrieval, null);
  }

  /** Without retrieval. */
  public AuditRecord(String requestId, String identity, String team, String route, String backend, String host,
      String model, int status, String errorCode, Policy policy, Tokens tokens, long latencyMs, Long ttftMs,
      List<Attempt> attempts, String requestSha256, List<Guard> guardrails) {
    this(requestId, identity, team, route, backend, host, model, status, errorCode, policy, tokens, latencyMs, ttftMs,
        attempts, requestSha256, guardrails, null);
  }

  /** @param decision {@code allowed} or {@code denied}; @param code the refusal's error code, null when allowed */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Policy(String decision, String code) {}

  public record Tokens(long input, long output, long total) {}

  /**
   * One upstream attempt: the backend and host it went to and either the upstream status or the
   * error that ended it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(String backend, String host, Integer status, String error) {}
}
