package dev.aigis.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.backend.ApiSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Anthropic clients to Claude on the clouds, replayed from {@code fixtures/claude-clouds/<case>/}:
 * {@code request.in.json} (with {@code request.headers.json}) to {@code request.out.json} and
 * {@code upstream.json} (method, path, the headers checked), for the case's cloud ({@code vertex-}
 * or {@code bedrock-}); and Bedrock streams, {@code response.in.events} (one frame a line:
 * {@code chunk <Anthropic event JSON>}, sent as base64 {@code bytes}, or
 * {@code exception <type> <json>}) to the Anthropic events of {@code response.out.sse}, whole, cut
 * at random (fixed seed) and byte by byte, then {@code usage.json} or the {@code error.out.json}
 * the stream fails with.
 */
class ClaudeCloudGoldenTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));

  static Stream<String> requestCases() {
    return cases("request.in.json");
  }

  static Stream<String> streamCases() {
    return cases("response.in.events");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void request(String name) throws Exception {
    Path dir = root().resolve(name);
    boolean vertex = name.startsWith("vertex-");
    var backend = Backends.backend(vertex ? ApiSchema.GCPVertexAI : ApiSchema.AWSBedrock);
    JsonNode in = json(dir.resolve("request.in.json"));
    List<String> headers = new ArrayList<>();
    json(dir.resolve("request.headers.json")).properties().forEach(h -> {
      headers.add(h.getKey());
      headers.add(h.getValue().asText());
    });
    var route = BackendAdapters.route(ApiEndpoint.ANTHROPIC_MESSAGES, backend,
        new OpenAiRequest(in.path("model").asText(), in.path("stream").asBoolean(false), false), true, CLOCK);

    UpstreamCall call = ((Route.Upstream) route).adapter().prepare(Backends.request(ApiEndpoint.ANTHROPIC_MESSAGES,
        "/v1/messages", Files.readString(dir.resolve("request.in.json")), headers.toArray(String[]::new)),
        Backends.target(backend, "", vertex ? "ya29.token" : null, null));

    JsonNode upstream = json(dir.resolve("upstream.json"));
    assertThat(call.method()).isEqualTo(upstream.path("method").asText());
    assertThat(call.pathAndQuery()).isEqualTo(upstream.path("path").asText());
    upstream.path("headers").properties().forEach(h ->
        assertThat(call.headers()).containsEntry(h.getKey(), h.getValue().asText()));
    assertThat(call.headers()).doesNotContainKey("anthropic-version");
    if (!vertex) {
      assertThat(call.headers()).containsKey("authorization").doesNotContainKey("anthropic-beta");
    }
    assertThat(Json.MAPPER.readTree(call.body())).isEqualTo(json(dir.resolve("request.out.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void bedrockStreamWholeCutAndByteByByte(String name) throws Exception {
    Path dir = root().resolve(name);
    byte[] stream = frames(Files.readAllLines(dir.resolve("response.in.events"), StandardCharsets.UTF_8));
    var random = new Random(0xC1A0DEL ^ name.hashCode());
    replay(dir, List.of(stream));
    for (int round = 0; round < 40; round++) {
      replay(dir, cut(stream, random));
    }
    List<byte[]> bytes = new ArrayList<>();
    for (byte b : stream) {
      bytes.add(new byte[] {b});
    }
    replay(dir, bytes);
  }

  private static void replay(Path dir, List<byte[]> pieces) throws Exception {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    var route = BackendAdapters.route(ApiEndpoint.ANTHROPIC_MESSAGES, backend,
        new OpenAiRequest("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true, false), true, CLOCK);
    ResponseDecoder decoder = ((Route.Upstream) route).adapter().decoder("application/vnd.amazon.eventstream");
    var sink = new Backends.Collected();
    GatewayError failure = null;
    try {
      for (byte[] piece : pieces) {
        decoder.bytes(piece, sink);
      }
      decoder.end(sink);
    } catch (TranslationException e) {
      failure = e.error();
    }
    assertThat(sink.joined()).isEqualTo(Files.readString(dir.resolve("response.out.sse"), StandardCharsets.UTF_8));
    assertThat(decoder.contentType()).isEqualTo("text/event-stream");
    Path error = dir.resolve("error.out.json");
    if (Files.exists(error)) {
      JsonNode expected = json(error);
      assertThat(failure).as("the stream fails").isNotNull();
      assertThat(failure.status()).isEqualTo(expected.path("status").asInt());
      assertThat(failure.type()).isEqualTo(expected.path("type").asText());
      assertThat(failure.code()).isEqualTo(expected.path("code").asText());
      assertThat(failure.message()).isEqualTo(expected.path("message").asText());
    } else {
      assertThat(failure).isNull();
      assertThat(decoder.usage()).isEqualTo(Json.MAPPER.readValue(dir.resolve("usage.json").toFile(), TokenUsage.class));
    }
  }

  /** Bedrock's framing of the readable lines: {@code chunk <json>} or {@code exception <type> <json>}. */
  static byte[] frames(List<String> lines) {
    var out = new ByteArrayOutputStream();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, HeaderValue> headers = new LinkedHashMap<>();
      String payload;
      if (line.startsWith("chunk ")) {
        headers.put(":event-type", HeaderValue.fromString("chunk"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        String event = line.substring("chunk ".length());
        payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8))
            + "\",\"p\":\"abcdefgh\"}";
      } else {
        String[] parts = line.split(" ", 3);
        headers.put(":exception-type", HeaderValue.fromString(parts[1]));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        payload = parts[2];
      }
      headers.put(":content-type", HeaderValue.fromString("application/json"));
      ByteBuffer frame = new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
      out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }
    return out.toByteArray();
  }

  private static List<byte[]> cut(byte[] bytes, Random random) {
    int[] cuts = random.ints(1 + random.nextInt(12), 0, bytes.length + 1).sorted().toArray();
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    for (int at : cuts) {
      pieces.add(Arrays.copyOfRange(bytes, from, at));
      from = at;
    }
    pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return pieces;
  }

  private static Stream<String> cases(String file) {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(d -> Files.exists(d.resolve(file))).map(d -> d.getFileName().toString()).sorted()
          .toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(Path file) {
    try {
      return Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    try {
      return Path.of(ClaudeCloudGoldenTest.class.getResource("/fixtures/claude-clouds").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
