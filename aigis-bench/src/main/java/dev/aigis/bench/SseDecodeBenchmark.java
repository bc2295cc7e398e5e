package dev.aigis.bench;

import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.openai.OpenAiRequestInspector;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.sse.SseDecoder;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Hot-path parsers of the gateway: decoding an OpenAI SSE stream and inspecting a request body.
 * Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main SseDecode}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class SseDecodeBenchmark {

  private static final int CHUNKS = 50;
  private static final int PIECE = 512;

  private byte[][] pieces;
  private byte[] body4k;

  @Setup
  public void setUp() {
    pieces = split(openAiStream(), PIECE);
    body4k = requestBody(4096);
  }

  /** One whole 50-chunk stream, decoded from 512-byte network reads; ops/s = streams/s. */
  @Benchmark
  public void decodeStream(Blackhole bh) {
    var decoder = new SseDecoder(bh::consume, 1 << 20);
    for (byte[] piece : pieces) {
      decoder.feed(piece);
    }
    bh.consume(decoder.pendingBytes());
  }

  /** Model/stream extraction from a 4 KB chat request; ops/s = requests/s. */
  @Benchmark
  public OpenAiRequest inspect4k() throws RequestRejected {
    return OpenAiRequestInspector.inspect(body4k);
  }

  /** role chunk, 47 content chunks, finish chunk, usage chunk, then {@code [DONE]}. */
  static byte[] openAiStream() {
    var sb = new StringBuilder();
    String head = "{\"id\":\"chatcmpl-AbC123xyz\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[";
    sb.append("data: ").append(head)
        .append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    String[] words = {"The", " parcel", " is", " still", " at", " the", " regional", " depot", ",", " which"};
    for (int i = 0; i < CHUNKS - 3; i++) {
      sb.append("data: ").append(head).append("{\"index\":0,\"delta\":{\"content\":\"")
          .append(words[i % words.length]).append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    sb.append("data: ").append(head)
        .append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
    sb.append("data: ").append(head, 0, head.length() - "\"choices\":[".length())
        .append("\"choices\":[],\"usage\":{\"prompt_tokens\":118,\"completion_tokens\":47,\"total_tokens\":165}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A chat request of about {@code size} bytes: a few turns, tools off, stream on. */
  static byte[] requestBody(int size) {
    var sb = new StringBuilder("{\"model\":\"gpt-4o-mini\",\"messages\":[")
        .append("{\"role\":\"system\",\"content\":\"You are a concise assistant for a support team.\"}");
    String turn = "Here is more context about order #A-20417: shipped on Monday, tracking says regional depot. ";
    int i = 0;
    while (sb.length() < size - 200) {
      sb.append(",{\"role\":\"").append(i++ % 2 == 0 ? "user" : "assistant").append("\",\"content\":\"")
          .append(turn.repeat(3)).append("\"}");
    }
    sb.append("],\"temperature\":0.2,\"max_tokens\":256,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"user\":\"support-bot-7\"}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[][] split(byte[] all, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < all.length; off += size) {
      byte[] p = new byte[Math.min(size, all.length - off)];
      System.arraycopy(all, off, p, 0, p.length);
      out.add(p);
    }
    return out.toArray(byte[][]::new);
  }
}
