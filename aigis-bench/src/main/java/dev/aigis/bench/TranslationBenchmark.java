package dev.aigis.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec;
import dev.aigis.core.provider.azure.OpenAiToAzureOpenAiChatTranslator;
import dev.aigis.core.provider.bedrock.OpenAiToBedrockConverseTranslator;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.model.backend.AwsCredentials;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.core.provider.openai.responses.OpenAiToOpenAiResponsesTranslator;
import dev.aigis.core.provider.openai.responses.ResponsesInboundCodec;
import dev.aigis.core.provider.gemini.inbound.GeminiInboundCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Stream translation throughput: a 200-token answer in a backend's own streaming format (SSE, or
 * AWS event-stream frames for Bedrock), fed in
 * 512-byte pieces, translated into OpenAI chunks (and, for {@code anthropic-inbound} and
 * {@code responses-inbound} and {@code gemini-inbound}, OpenAI chunks translated into Anthropic,
 * Responses or Gemini events;
 * {@code responses} is a Responses API stream from a Responses-only server). One operation is one
 * whole stream.
 * Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main TranslationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class TranslationBenchmark {

  private static final int TOKENS = 200;
  private static final int PIECE = 512;

  @Param({"openai", "azure", "anthropic", "bedrock", "gemini", "anthropic-inbound", "responses", "responses-inbound",
      "gemini-inbound"})
  public String provider;

  private List<byte[]> pieces;
  private List<ObjectNode> pivotChunks;

  @Setup
  public void setUp() throws Exception {
    byte[] stream = switch (provider) {
      case "anthropic" -> anthropicStream().getBytes(StandardCharsets.UTF_8);
      case "gemini" -> geminiStream().getBytes(StandardCharsets.UTF_8);
      case "bedrock" -> bedrockStream();
      case "responses" -> responsesStream().getBytes(StandardCharsets.UTF_8);
      default -> openAiStream(provider.equals("azure")).getBytes(StandardCharsets.UTF_8);
    };
    pieces = split(stream);
    if (provider.endsWith("-inbound")) {
      pivotChunks = new ArrayList<>();
      BackendTranslator openai = new OpenAiToOpenAiChatTranslator();
      for (byte[] piece : pieces) {
        openai.streamBytes(piece, pivotChunks::add);
      }
      openai.streamEnd(pivotChunks::add);
    }
  }

  @Benchmark
  public void translateStream(Blackhole sink) throws Exception {
    if (pivotChunks != null) {
      InboundCodec codec = switch (provider) {
        case "responses-inbound" -> new ResponsesInboundCodec();
        case "gemini-inbound" -> new GeminiInboundCodec("gemini-2.5-flash", true);
        default -> new AnthropicInboundCodec();
      };
      for (ObjectNode chunk : pivotChunks) {
        codec.pivotChunk(chunk, sink::consume);
      }
      codec.pivotEnd(sink::consume);
      return;
    }
    BackendTranslator translator = switch (provider) {
      case "azure" -> new OpenAiToAzureOpenAiChatTranslator("2024-10-21");
      case "anthropic" -> new OpenAiToAnthropicChatTranslator();
      case "responses" -> new OpenAiToOpenAiResponsesTranslator();
      case "gemini" -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi());
      case "bedrock" -> new OpenAiToBedrockConverseTranslator(
          new AwsCredentials("AKIDEXAMPLE", "secret", null), "us-east-1", "bedrock.local", java.time.InstantSource.system());
      default -> new OpenAiToOpenAiChatTranslator();
    };
    for (byte[] piece : pieces) {
      translator.streamBytes(piece, sink::consume);
    }
    translator.streamEnd(sink::consume);
  }

  private static List<byte[]> split(byte[] stream) {
    var out = new ArrayList<byte[]>();
    for (int at = 0; at < stream.length; at += PIECE) {
      out.add(java.util.Arrays.copyOfRange(stream, at, Math.min(stream.length, at + PIECE)));
    }
    return out;
  }

  private static String openAiStream(boolean azure) {
    var sse = new StringBuilder();
    if (azure) {
      sse.append("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}\n\n");
    }
    String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":";
    sse.append("data: ").append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < TOKENS; i++) {
      sse.append("data: ").append(head).append("{\"content\":\" token").append(i).append("\"},\"finish_reason\":null}]}\n\n");
    }
    sse.append("data: ").append(head).append("{},\"finish_reason\":\"stop\"}]}\n\n");
    sse.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":200,\"total_tokens\":210}}\n\n");
    sse.append("data: [DONE]\n\n");
    return sse.toString();
  }

  private static String geminiStream() {
    var sse = new StringBuilder();
    for (int i = 0; i < TOKENS; i++) {
      sse.append("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" token").append(i)
          .append("\"}]}}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n");
    }
    sse.append("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":200,\"totalTokenCount\":210},\"responseId\":\"r1\"}\r\n\r\n");
    return sse.toString();
  }

  /** ConverseStream's AWS event-stream frames, encoded with the same library the gateway decodes with. */
  private static byte[] bedrockStream() {
    var out = new java.io.ByteArrayOutputStream();
    java.util.function.BiConsumer<String, String> event = (type, json) -> {
      var headers = new java.util.LinkedHashMap<String, software.amazon.eventstream.HeaderValue>();
      headers.put(":event-type", software.amazon.eventstream.HeaderValue.fromString(type));
      headers.put(":content-type", software.amazon.eventstream.HeaderValue.fromString("application/json"));
      headers.put(":message-type", software.amazon.eventstream.HeaderValue.fromString("event"));
      java.nio.ByteBuffer frame = new software.amazon.eventstream.Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
      byte[] bytes = new byte[frame.remaining()];
      frame.get(bytes);
      out.writeBytes(bytes);
    };
    event.accept("messageStart", "{\"role\":\"assistant\"}");
    for (int i = 0; i < TOKENS; i++) {
      event.accept("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" token" + i + "\"}}");
    }
    event.accept("contentBlockStop", "{\"contentBlockIndex\":0}");
    event.accept("messageStop", "{\"stopReason\":\"end_turn\"}");
    event.accept("metadata", "{\"usage\":{\"inputTokens\":10,\"outputTokens\":200,\"totalTokens\":210},\"metrics\":{\"latencyMs\":1}}");
    return out.toByteArray();
  }

  private static String anthropicStream() {
    var sse = new StringBuilder();
    sse.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n");
    sse.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    for (int i = 0; i < TOKENS; i++) {
      sse.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" token")
          .append(i).append("\"}}\n\n");
    }
    sse.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    sse.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":200}}\n\n");
    sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return sse.toString();
  }

  private static String responsesStream() {
    var sse = new StringBuilder();
    int[] sequence = {0};
    java.util.function.BiConsumer<String, String> event = (type, fields) -> sse.append("event: ").append(type)
        .append("\ndata: {\"type\":\"").append(type).append("\",").append(fields).append(",\"sequence_number\":")
        .append(sequence[0]++).append("}\n\n");
    String response = "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":\"in_progress\","
        + "\"model\":\"gpt-4o\",\"output\":[]}";
    event.accept("response.created", "\"response\":" + response);
    event.accept("response.in_progress", "\"response\":" + response);
    event.accept("response.output_item.added", "\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}");
    event.accept("response.content_part.added", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
        + "\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}");
    for (int i = 0; i < TOKENS; i++) {
      event.accept("response.output_text.delta", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
          + "\"delta\":\" token" + i + "\",\"logprobs\":[]");
    }
    event.accept("response.output_text.done", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":\"...\"");
    event.accept("response.output_item.done", "\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[]}");
    event.accept("response.completed", "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,"
        + "\"status\":\"completed\",\"model\":\"gpt-4o\",\"output\":[],"
        + "\"usage\":{\"input_tokens\":10,\"output_tokens\":200,\"total_tokens\":210}}");
    return sse.toString();
  }
}
