package dev.aigis.model.processing;

/**
 * The {@code extProcess} block of a {@code type: ExtProcess} processor: an external processor
 * reached over Envoy's ext_proc v3 gRPC protocol.
 *
 * @param host gRPC server host
 * @param port gRPC server port
 * @param tls whether to use TLS (system trust)
 * @param processingMode what is sent to the processor; null fields take Envoy's defaults
 *     (request and response headers SEND, bodies NONE). A {@code requestBodyMode} of
 *     {@code STREAMED} is refused by validation: the chain delivers request bodies whole.
 */
public record ExtProcessSpec(String host, int port, boolean tls, ProcessingModeSpec processingMode)
    implements ProcessorConfig {

  public enum HeaderSendMode { SEND, SKIP }

  public enum BodySendMode { NONE, BUFFERED, STREAMED }

  public record ProcessingModeSpec(
      HeaderSendMode requestHeaderMode, BodySendMode requestBodyMode, HeaderSendMode responseHeaderMode,
      BodySendMode responseBodyMode) {
    public static final ProcessingModeSpec DEFAULT =
        new ProcessingModeSpec(HeaderSendMode.SEND, BodySendMode.NONE, HeaderSendMode.SEND, BodySendMode.NONE);

    public ProcessingModeSpec {
      requestHeaderMode = requestHeaderMode == null ? HeaderSendMode.SEND : requestHeaderMode;
      requestBodyMode = requestBodyMode == null ? BodySendMode.NONE : requestBodyMode;
      responseHeaderMode = responseHeaderMode == null ? HeaderSendMode.SEND : responseHeaderMode;
      responseBodyMode = responseBodyMode == null ? BodySendMode.NONE : responseBodyMode;
    }
  }
}
