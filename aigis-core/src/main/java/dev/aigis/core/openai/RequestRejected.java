package dev.aigis.core.openai;

import dev.aigis.core.api.GatewayError;

/** Thrown while reading a request that must be refused; carries the client-facing error. */
public final class RequestRejected extends Exception {

  private final transient GatewayError error;

  public RequestRejected(GatewayError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
  }
}
