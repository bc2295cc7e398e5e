package dev.aigis.core.provider;

import dev.aigis.core.api.GatewayError;

/**
 * A request or answer that cannot be translated faithfully: a client request the target cannot
 * express at all (400), or a backend answer that does not parse (502). Carries the client-facing
 * error; the message never contains prompt or answer text.
 */
public final class TranslationException extends Exception {

  private final transient GatewayError error;

  public TranslationException(GatewayError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
  }
}
