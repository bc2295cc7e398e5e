package dev.aigis.core.processing;

/** Told about every processor stage that ran: feeds per-processor metrics and the debug header. */
public interface ProcessingObserver {

  ProcessingObserver NONE = (chain, processor, stage, outcome, nanos) -> { };

  enum Stage { REQUEST_HEADERS, REQUEST_BODY, RESPONSE_HEADERS, RESPONSE_CHUNK }

  enum Outcome { CONTINUED, RESPONDED, ENDED_STREAM, FAILED_OPEN, FAILED_CLOSED, TIMED_OUT_OPEN, TIMED_OUT_CLOSED }

  void processed(String chain, String processor, Stage stage, Outcome outcome, long nanos);
}
