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
   * ext_proc's ImmediateResponse: the client gets this status, headers and body; no later
   * processor runs and, before routing, no route is matched. {@code detail} is for logs and metrics.
   */
  record ImmediateResponse(int status, Map<String, List<String>> headers, byte[] body, String detail) implements Verdict {}
}
