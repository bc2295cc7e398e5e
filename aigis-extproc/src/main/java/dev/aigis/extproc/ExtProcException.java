package dev.aigis.extproc;

/**
 * Why an ext_proc stage failed: the stream broke (UNAVAILABLE, DEADLINE_EXCEEDED, a server error),
 * the server broke the protocol (an answer of the wrong type), or the exchange was closed while the
 * stage waited. The chain applies the processor's failure mode to it. Its message names the
 * processor, the stage and the gRPC status, never payload, so clients may see it.
 */
public class ExtProcException extends dev.aigis.core.processing.ProcessorException {

  public ExtProcException(String message) {
    super(message);
  }

  public ExtProcException(String message, Throwable cause) {
    super(message, cause);
  }
}
