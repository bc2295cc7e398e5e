package dev.aigis.core.api;

/** Renders a {@link GatewayError} in one client API's wire format. */
public interface ErrorRenderer {

  /** The complete response body. */
  byte[] body(GatewayError error);

  /** The body as one SSE event, for errors that happen after a stream has started. */
  byte[] streamEvent(GatewayError error);

  String contentType();
}
