package dev.aigis.core.processing;

/**
 * A processor failure whose message may be shown to clients (it becomes the detail of
 * {@link dev.aigis.core.api.GatewayError.ProcessorFailed} under {@code FailClosed}). Any other
 * exception from a processor is reported with its class name only, since its message may carry
 * payload. Never put header values or body text in the message.
 */
public class ProcessorException extends RuntimeException {

  public ProcessorException(String message) {
    super(message);
  }

  public ProcessorException(String message, Throwable cause) {
    super(message, cause);
  }
}
