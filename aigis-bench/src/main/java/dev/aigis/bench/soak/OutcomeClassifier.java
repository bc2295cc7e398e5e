package dev.aigis.bench.soak;

import java.util.OptionalInt;

/**
 * The contract the soak holds the gateway to: for each fault, what the client must see and what
 * status the gateway must record (in {@code aigis_requests_total} and the access log). Anything
 * else is unexplained, including a transport error on a request without a fault. The statuses
 * are those of docs/operations.md ("Error catalogue", "Timeouts") and docs/providers.md
 * ("Errors"): upstream error statuses are kept in either client API, a stream cut after its head
 * becomes an error event in the client's format and a 502, a client gone mid-stream is a 499.
 */
final class OutcomeClassifier {

  private OutcomeClassifier() {}

  /** What the client and the gateway must show. The same for both client APIs. */
  record Expectation(Outcome client, int gatewayStatus) {}

  /** @throws IllegalArgumentException when the fault does not apply to {@code kind} */
  static Expectation expected(TrafficKind kind, Fault fault) {
    if (!fault.appliesTo(kind)) {
      throw new IllegalArgumentException(fault + " does not apply to " + kind);
    }
    return switch (fault) {
      case NONE -> answered(200);
      case UPSTREAM_500 -> answered(500);
      case UPSTREAM_429 -> answered(429);
      case UPSTREAM_RESET -> new Expectation(new Outcome(200, Ending.ERROR_EVENT), 502);
      case UPSTREAM_DROP -> answered(502);
      case UPSTREAM_SLOW -> answered(504);
      case CLIENT_DISCONNECT -> new Expectation(new Outcome(200, Ending.CLIENT_ABORT), 499);
      case MALFORMED_JSON -> answered(400);
      case OVERSIZE_BODY -> answered(413);
      case UNKNOWN_MODEL -> answered(404);
    };
  }

  static boolean explained(TrafficKind kind, Fault fault, Outcome got) {
    return expected(kind, fault).client().equals(got);
  }

  /**
   * The status the gateway should have recorded for this outcome: the expected one when the
   * outcome is explained, the status the client got when it got a whole answer; empty when the
   * client cannot tell (a stream that failed after its head, no response at all).
   */
  static OptionalInt gatewayStatus(TrafficKind kind, Fault fault, Outcome got) {
    if (explained(kind, fault, got)) {
      return OptionalInt.of(expected(kind, fault).gatewayStatus());
    }
    return got.ending() == Ending.COMPLETE ? OptionalInt.of(got.status()) : OptionalInt.empty();
  }

  private static Expectation answered(int status) {
    return new Expectation(new Outcome(status, Ending.COMPLETE), status);
  }
}
