package dev.aigis.core.exchange;

import dev.aigis.core.usage.TokenUsage;
import java.time.Duration;
import java.util.Map;

/**
 * How an exchange ended, handed once to every {@link ExchangeContext#onComplete} hook by whichever
 * front door served it (what token limits, budgets and the audit log need).
 *
 * @param status the status the client got (for a stream that failed after its head, the failure's)
 * @param usage token usage as read from the answer; {@link TokenUsage#NONE} when unknown. When a
 *     processor answered ({@link #answeredByProcessor()}, such as a cache hit) it is the usage the
 *     answer carries, though nothing went upstream
 * @param model the model routing saw, or null
 * @param route {@code namespace/name} of the matched HTTPRoute, or null
 * @param backend the picked backend's key, or null
 * @param errorCode the gateway's error code when it failed or a processor answered, else null
 * @param duration from the first request byte to the end
 * @param timeToFirstByte until the first response byte was written, or null when none was
 * @param attributes the exchange's attributes at the end
 */
public record ExchangeSummary(
    String requestId,
    int status,
    TokenUsage usage,
    String model,
    String route,
    String backend,
    String errorCode,
    Duration duration,
    Duration timeToFirstByte,
    Map<String, Object> attributes) {

  /** The {@link #errorCode} of an exchange a processor answered itself (a cache hit, a canned answer). */
  public static final String PROCESSOR_ANSWER = "processor_response";

  /** Whether a processor answered without going upstream: no tokens were spent, none are charged. */
  public boolean answeredByProcessor() {
    return PROCESSOR_ANSWER.equals(errorCode);
  }
}
