package dev.aigis.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec;
import dev.aigis.core.provider.openai.OpenAiInboundCodec;
import dev.aigis.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A processor's structured answer (a cache hit, a canned guard answer) rendered for each client API. */
class StructuredAnswersTest {

  private static final String COMPLETION = """
      {"id": "chatcmpl-cache1", "object": "chat.completion", "created": 1735689600, "model": "gpt-4o-mini",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "Cached hello"}, "finish_reason": "stop"}],
       "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}
      """;

  private static final String TOOL_CALL = """
      {"id": "chatcmpl-t", "object": "chat.completion", "created": 1, "model": "gpt-4o",
       "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
         "tool_calls": [{"id": "call_1", "type": "function",
                         "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]}}]}
      """;

  private static final String OPENAI_STREAM = """
      data: {"id":"chatcmpl-cache1","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini",\
      "choices":[{"index":0,"delta":{"role":"assistant","content":"Cached hello"}}]}

      data: {"id":"chatcmpl-cache1","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini",\
      "choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

      """;

  private static final String OPENAI_USAGE_EVENT = """
      data: {"id":"chatcmpl-cache1","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini",\
      "choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}

      """;

  private static final String OPENAI_DONE = "data: [DONE]\n\n";

  private static final String ANTHROPIC_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_cache1","type":"message","role":"assistant",\
      "model":"gpt-4o-mini","content":[],"stop_reason":null,"stop_sequence":null,\
      "usage":{"input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Cached hello"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},\
      "usage":{"input_tokens":12,"cache_read_input_tokens":0,"output_tokens":3}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  private static final String ANTHROPIC_MESSAGE = """
      {"id": "msg_cache1", "type": "message", "role": "assistant", "model": "gpt-4o-mini",
       "content": [{"type": "text", "text": "Cached hello"}], "stop_reason": "end_turn", "stop_sequence": null,
       "usage": {"input_tokens": 12, "cache_read_input_tokens": 0, "output_tokens": 3}}
      """;

  private static ObjectNode completion(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void plainForAnOpenAiClientIsTheCompletion() throws Exception {
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(new OpenAiInboundCodec(), completion(COMPLETION), false, false);

    assertThat(rendered.contentType()).isEqualTo("application/json");
    assertThat(rendered.stream()).isFalse();
    assertThat(Json.MAPPER.readTree(rendered.body())).isEqualTo(Json.MAPPER.readTree(COMPLETION));
    assertThat(rendered.usage()).isEqualTo(new TokenUsage(12, 3, 15, 0, 0));
  }

  @Test
  void streamedForAnOpenAiClientEndsWithDoneAndHasNoUsageChunkUnlessAsked() throws Exception {
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(new OpenAiInboundCodec(), completion(COMPLETION), true, false);

    assertThat(rendered.contentType()).isEqualTo("text/event-stream");
    assertThat(rendered.stream()).isTrue();
    assertThat(text(rendered.body())).isEqualTo(OPENAI_STREAM + OPENAI_DONE);
    assertThat(rendered.usage()).isEqualTo(new TokenUsage(12, 3, 15, 0, 0));
  }

  @Test
  void streamedForAnOpenAiClientThatAskedForUsageHasTheUsageChunkBeforeDone() throws Exception {
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(new OpenAiInboundCodec(), completion(COMPLETION), true, true);

    assertThat(text(rendered.body())).isEqualTo(OPENAI_STREAM + OPENAI_USAGE_EVENT + OPENAI_DONE);
  }

  @Test
  void streamedToolCallsCarryTheirIndex() throws Exception {
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(new OpenAiInboundCodec(), completion(TOOL_CALL), true, true);

    assertThat(text(rendered.body())).isEqualTo("""
        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,\
        "delta":{"role":"assistant","tool_calls":[{"id":"call_1","type":"function",\
        "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},"index":0}]}}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"gpt-4o",\
        "choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]

        """);
    assertThat(rendered.usage()).as("the completion had none").isNull();
  }

  @Test
  void plainForAnAnthropicClientIsAMessage() throws Exception {
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(new AnthropicInboundCodec(), completion(COMPLETION), false, false);

    assertThat(rendered.contentType()).isEqualTo("application/json");
    assertThat(rendered.stream()).isFalse();
    assertThat(Json.MAPPER.readTree(rendered.body())).isEqualTo(Json.MAPPER.readTree(ANTHROPIC_MESSAGE));
  }

  @Test
  void streamedForAnAnthropicClientEndsWithMessageStopAndReportsUsageInMessageDelta() throws Exception {
    // An Anthropic client never asks for usage: the codec always reports it, in message_delta.
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(new AnthropicInboundCodec(), completion(COMPLETION), true, false);

    assertThat(rendered.contentType()).isEqualTo("text/event-stream");
    assertThat(text(rendered.body())).isEqualTo(ANTHROPIC_STREAM);
    assertThat(text(rendered.body())).doesNotContain("[DONE]");
    assertThat(rendered.usage()).isEqualTo(new TokenUsage(12, 3, 15, 0, 0));
  }

  @Test
  void withoutACodecTheCompletionGoesAsItIsAndNeverStreams() throws Exception {
    StructuredAnswers.Rendered rendered = StructuredAnswers.render(null, completion(COMPLETION), true, true);

    assertThat(rendered.stream()).isFalse();
    assertThat(rendered.contentType()).isEqualTo("application/json");
    assertThat((JsonNode) Json.MAPPER.readTree(rendered.body())).isEqualTo(Json.MAPPER.readTree(COMPLETION));
  }
}
