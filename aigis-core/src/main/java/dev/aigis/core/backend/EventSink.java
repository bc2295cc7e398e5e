package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives what the client gets, in its format: SSE events or body chunks, in order. */
@FunctionalInterface
public interface EventSink {

  /** @param pivot the event as an OpenAI chunk (or whole completion) when the decoder has one, else null */
  void emit(byte[] bytes, ObjectNode pivot);
}
