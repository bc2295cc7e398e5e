package dev.aigis.core.processing;

import java.util.List;
import java.util.Map;

/**
 * A processor's answer to a request or response-headers stage: go on (its mutations are already
 * applied to the message), or answer the client now and stop the chain.
 */
public sealed interface Verdict {

  Continue CONTINUE = new Continue();

  static Verdict proceed() {
    return CONTINUE;
  }

  record Continue() implements Verdict {}

  /**
   * Go on once {@code edits} has changed the message. For a processor that evaluates on another
   * thread: the chain runs {@code edits} on the exchange's thread after accepting the stage, so a
   * stage that timed out (and was skipped by {@code FailOpen}) never touches the message. An edit
   * that throws is the processor's failure.
   */
  record EditThenContinue(Runnable edits) implements Verdict {}

  /** Verdicts that answer the client and stop the chain. */
  sealed interface Immediate extends Verdict {
    String detail();
  }

  /**
   * ext_proc's ImmediateResponse: the client gets this status, headers and body; no later
   * processor runs and, before routing, no route is matched. {@code detail} is for logs and metrics.
   */
  record ImmediateResponse(int status, Map<String, List<String>> headers, byte[] body, String detail) implements Immediate {}

  /**
   * Refuse the request with a gateway error, rendered in the client's API format like the
   * gateway's own errors (401, 403, 429 ...), with extra response headers such as
   * {@code Retry-After}.
   */
  record Refuse(dev.aigis.core.api.GatewayError error, Map<String, List<String>> headers) implements Immediate {
    public Refuse {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Refuse(dev.aigis.core.api.GatewayError error) {
      this(error, Map.of());
    }

    @Override
    public String detail() {
      return error.code();
    }
  }

  /**
   * A structured answer (an OpenAI {@code chat.completion}, usage included) that the front door
   * renders in the client's format, plain or as a well-formed stream when the client asked for
   * one: what a cache hit or a canned guard answer needs without knowing the client's API.
   * {@code headers} go on the response as well (such as {@code x-aigis-cache: hit}). Nothing went
   * upstream, so the usage it carries is shown to the client but never charged to token limits
   * or budgets ({@link dev.aigis.core.exchange.ExchangeSummary#answeredByProcessor()}).
   */
  record Answer(com.fasterxml.jackson.databind.node.ObjectNode completion, String detail,
      Map<String, List<String>> headers) implements Immediate {
    public Answer {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Answer(com.fasterxml.jackson.databind.node.ObjectNode completion, String detail) {
      this(completion, detail, Map.of());
    }
  }
}
