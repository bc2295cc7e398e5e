package dev.aigis.model.processing;

import dev.aigis.model.load.Fields;
import dev.aigis.model.processing.ExtProcessSpec.BodySendMode;
import dev.aigis.model.processing.ExtProcessSpec.HeaderSendMode;
import dev.aigis.model.processing.ExtProcessSpec.ProcessingModeSpec;
import java.util.List;

/**
 * {@code type: ExtProcess}: an Envoy ext_proc v3 server ({@link ExtProcessSpec}), reached through
 * aigis-extproc's shared channels.
 */
final class ExtProcessType implements ProcessorType<ExtProcessSpec> {

  @Override
  public String name() {
    return "ExtProcess";
  }

  @Override
  public String block() {
    return "extProcess";
  }

  @Override
  public Class<ExtProcessSpec> configClass() {
    return ExtProcessSpec.class;
  }

  @Override
  public List<String> fields() {
    return List.of("host", "port", "tls", "processingMode");
  }

  @Override
  public ExtProcessSpec read(Fields block) {
    String host = block.requiredString("host");
    int port = block.requiredInt("port");
    boolean tls = block.bool("tls", false);
    Fields mode = block.object("processingMode",
        "requestHeaderMode", "requestBodyMode", "responseHeaderMode", "responseBodyMode");
    return new ExtProcessSpec(host, port, tls, mode == null ? ProcessingModeSpec.DEFAULT : new ProcessingModeSpec(
        mode.choice("requestHeaderMode", false, HeaderSendMode.values()),
        mode.choice("requestBodyMode", false, BodySendMode.values()),
        mode.choice("responseHeaderMode", false, HeaderSendMode.values()),
        mode.choice("responseBodyMode", false, BodySendMode.values())));
  }

  @Override
  public void validate(ExtProcessSpec spec, Errors errors) {
    if (spec.host() == null || spec.host().isBlank()) {
      errors.at(block() + ".host", "must not be empty");
    }
    if (spec.port() < 1 || spec.port() > 65535) {
      errors.at(block() + ".port", "port " + spec.port() + " is out of range 1..65535");
    }
    // The chain hands a processor the request body whole (Processor.onRequestBody) and never calls
    // onRequestBodyChunk, so a STREAMED processor would silently see no body at all.
    if (spec.processingMode() != null && spec.processingMode().requestBodyMode() == BodySendMode.STREAMED) {
      errors.at(block() + ".processingMode.requestBodyMode", "STREAMED is not supported; use BUFFERED"
          + " (processors receive the request body whole, in one request_body message)");
    }
  }
}
