package dev.aigis.bench;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.text.ResponseText;
import dev.aigis.core.api.text.TextEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading and rewriting answer text costs a guard per SSE event and per body
 * ({@code dev.aigis.core.api.text.ResponseText}). Run: {@code java -cp
 * "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*" org.openjdk.jmh.Main ResponseText}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ResponseTextBenchmark {

  private static final ResponseText CHAT = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS);
  private static final ResponseText ANTHROPIC = ResponseText.of(ApiEndpoint.ANTHROPIC_MESSAGES);
  private static final ResponseText RESPONSES = ResponseText.of(ApiEndpoint.RESPONSES);
  private static final ResponseText GEMINI = ResponseText.of(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT);
  private static final UnaryOperator<String> REDACT = text -> text.replace("Ann", "[NAME]");

  private final byte[] chatChunk = bytes("data: {\"id\":\"chatcmpl-AbC123\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1735689600,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0aa8d3e20b\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" Ann wrote\"},\"logprobs\":null,\"finish_reason\":null}],"
      + "\"usage\":null}\n\n");
  private final byte[] anthropicPing = bytes("event: ping\ndata: {\"type\":\"ping\"}\n\n");
  private final byte[] anthropicDelta = bytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
      + "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" Ann wrote\"}}\n\n");
  private final byte[] responsesCreated = bytes("event: response.created\ndata: {\"type\":\"response.created\","
      + "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741570200,\"status\":\"in_progress\","
      + "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,"
      + "\"model\":\"gpt-4.1-mini\",\"output\":[],\"parallel_tool_calls\":true,\"previous_response_id\":null,"
      + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":false,\"temperature\":null,"
      + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":null,"
      + "\"truncation\":\"disabled\",\"usage\":null,\"user\":null,\"metadata\":{}},\"sequence_number\":0}\n\n");
  private final byte[] responsesCompleted = bytes("event: response.completed\ndata: {\"type\":\"response.completed\","
      + "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741570200,\"status\":\"completed\","
      + "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,"
      + "\"model\":\"gpt-4.1-mini\",\"output\":[{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\","
      + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + "Ann wrote a long answer. ".repeat(40)
      + "\",\"annotations\":[],\"logprobs\":[]}]}],\"parallel_tool_calls\":true,\"previous_response_id\":null,"
      + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":false,\"temperature\":null,"
      + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":null,"
      + "\"truncation\":\"disabled\",\"usage\":{\"input_tokens\":11,\"output_tokens\":300,\"total_tokens\":311},"
      + "\"user\":null,\"metadata\":{}},\"sequence_number\":9}\n\n");
  private final byte[] geminiChunk = bytes("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" Ann wrote\"}],"
      + "\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 5,\"totalTokenCount\": 5},"
      + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"resp-stream\"}\r\n\r\n");
  private final byte[] chatBody4k = bytes("{\"id\":\"chatcmpl-AbC123\",\"object\":\"chat.completion\",\"created\":1735689600,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
      + "Ann wrote a long answer with many words in it. ".repeat(85) + "\",\"refusal\":null},\"logprobs\":null,"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":900,\"total_tokens\":921}}");

  /** Reading a chat chunk's text (~300 B event). */
  @Benchmark
  public String chatDeltaText() {
    return CHAT.deltaText(chatChunk);
  }

  /** What a guard does per chat chunk: read once, write the filtered text back. */
  @Benchmark
  public byte[] chatReadAndRewrite() {
    TextEvent event = CHAT.event(chatChunk);
    return event.withDeltaText(REDACT.apply(event.deltaText()));
  }

  /** An Anthropic ping: classified by its type without building a tree, returned as is. */
  @Benchmark
  public byte[] anthropicPingPasses() {
    return ANTHROPIC.withDeltaText(anthropicPing, "x");
  }

  @Benchmark
  public byte[] anthropicReadAndRewrite() {
    TextEvent event = ANTHROPIC.event(anthropicDelta);
    return event.withDeltaText(REDACT.apply(event.deltaText()));
  }

  /** A 900-byte Responses lifecycle event with no text: the top-level type decides, no tree. */
  @Benchmark
  public byte[] responsesCreatedPasses() {
    return RESPONSES.withDeltaText(responsesCreated, "x");
  }

  /** A 1.9 KB response.completed whose 1 KB text is redacted as a whole. */
  @Benchmark
  public byte[] responsesCompletedRewrite() {
    return RESPONSES.rewriteWholeTexts(responsesCompleted, REDACT);
  }

  @Benchmark
  public byte[] geminiReadAndRewrite() {
    TextEvent event = GEMINI.event(geminiChunk);
    return event.withDeltaText(REDACT.apply(event.deltaText()));
  }

  /** A 4.3 KB non-streamed chat answer, its text redacted in place. */
  @Benchmark
  public byte[] chatBodyRewrite4k() {
    return CHAT.rewrite(chatBody4k, REDACT);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
