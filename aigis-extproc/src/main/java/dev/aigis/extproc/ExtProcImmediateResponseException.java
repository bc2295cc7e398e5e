package dev.aigis.extproc;

import dev.aigis.core.processing.Verdict;

/**
 * The server answered a streamed request body chunk with an ImmediateResponse.
 * {@link dev.aigis.core.processing.Processor#onRequestBodyChunk} returns bytes, so it cannot carry a
 * {@link Verdict}; the stage completes exceptionally with this instead. A chain runner that knows
 * it sends {@link #verdict()} to the client; one that does not treats it as a failure (FailClosed:
 * 500), which still stops the request.
 */
public final class ExtProcImmediateResponseException extends ExtProcException {

  private final transient Verdict.ImmediateResponse verdict;

  public ExtProcImmediateResponseException(String processor, Verdict.ImmediateResponse verdict) {
    super("ext_proc processor " + processor + " answered a streamed request body chunk with an immediate response "
        + verdict.status() + (verdict.detail().isEmpty() ? "" : ": " + verdict.detail()));
    this.verdict = verdict;
  }

  public Verdict.ImmediateResponse verdict() {
    return verdict;
  }
}
