package dev.aigis.core.backend;

import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.bedrock.BedrockAnthropicStream;
import dev.aigis.core.usage.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Claude's stream from Bedrock's {@code InvokeModelWithResponseStream}: the event-stream frames are
 * unwrapped into the Anthropic SSE events they carry ({@link BedrockAnthropicStream}), which then
 * go through the native Anthropic decoder (usage, pivots for processors, the {@code message_stop}
 * check) exactly as a stream from Anthropic would. Events completed before a failure are emitted
 * before it is thrown. Not thread-safe.
 */
final class BedrockClaudeEventDecoder implements ResponseDecoder {

  private final BedrockAnthropicStream unwrap = new BedrockAnthropicStream();
  private final ResponseDecoder events;

  BedrockClaudeEventDecoder(ResponseDecoder events) {
    this.events = events;
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    List<byte[]> sse = new ArrayList<>(2);
    TranslationException failure = null;
    try {
      unwrap.bytes(chunk, sse::add);
    } catch (TranslationException e) {
      failure = e;
    }
    for (byte[] event : sse) {
      events.bytes(event, out);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void end(EventSink out) throws TranslationException {
    unwrap.end();
    events.end(out);
  }

  @Override
  public TokenUsage usage() {
    return events.usage();
  }

  @Override
  public boolean events() {
    return true;
  }

  /** The client gets SSE, not the upstream's {@code application/vnd.amazon.eventstream}. */
  @Override
  public String contentType() {
    return "text/event-stream";
  }

  @Override
  public ResponseDecoder withPivots() {
    return new BedrockClaudeEventDecoder(events.withPivots());
  }
}
