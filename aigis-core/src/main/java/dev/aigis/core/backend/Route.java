package dev.aigis.core.backend;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.CallsTranslator;

/** How an exchange reaches its backend, decided once per exchange by {@link BackendAdapters#route}. */
public sealed interface Route {

  /** An HTTP upstream through an adapter (native or translated). */
  record Upstream(BackendAdapter adapter) implements Route {}

  /**
   * A JSON exchange (embeddings, rerank) to a backend with another API for it: one or more calls,
   * answers combined.
   */
  record Calls(CallsTranslator translator) implements Route {}

  /** Answered inside the gateway: the built-in echo model. */
  record Echo() implements Route {}

  /** Anthropic {@code count_tokens} for a non-Anthropic backend: counted in the gateway. */
  record CountTokens() implements Route {}

  /** The endpoint is not available on this backend's schema. */
  record Refused(GatewayError error) implements Route {}
}
