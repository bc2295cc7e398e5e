package dev.aigis.core.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case under {@code fixtures/anthropic/chat/}: {@code request.in.json} (OpenAI) to
 * {@code request.out.json} (Anthropic body), {@code response.in.json} (Anthropic) to
 * {@code response.out.json} (OpenAI), and {@code response.in.sse} to the pivot chunks in
 * {@code response.out.sse}, whole and cut at random byte boundaries. A stream case with
 * {@code error.out.json} ({@code status}, {@code type}, {@code message}) must fail with that error
 * after emitting exactly the expected chunks.
 */
class AnthropicChatGoldenTest {

  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));
  static final long SEED = 0xA1_6150L;
  static final int CUTS = 64;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
          .toList().stream();
    }
  }

  static Stream<String> requestCases() throws IOException {
    return casesWith("request.in.json");
  }

  static Stream<String> responseCases() throws IOException {
    return casesWith("response.in.json");
  }

  static Stream<String> streamCases() throws IOException {
    return casesWith("response.in.sse");
  }

  private static Stream<String> casesWith(String file) throws IOException {
    return cases().filter(c -> Files.exists(root().resolve(c).resolve(file)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void request(String name) throws Exception {
    Path dir = root().resolve(name);
    ObjectNode in = (ObjectNode) json(dir.resolve("request.in.json"));
    var call = new BackendCall(in.path("model").asText(), in.path("stream").asBoolean(false), "");

    var upstream = translator().chatRequest(in, call);

    assertThat(upstream.method()).isEqualTo("POST");
    assertThat(upstream.pathAndQuery()).isEqualTo("/v1/messages");
    assertThat(Json.MAPPER.readTree(upstream.body())).isEqualTo(json(dir.resolve("request.out.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void response(String name) throws Exception {
    Path dir = root().resolve(name);

    ObjectNode out = translator().chatResponse(Files.readAllBytes(dir.resolve("response.in.json")));

    assertThat(reparse(out)).isEqualTo(json(dir.resolve("response.out.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamWhole(String name) throws Exception {
    Path dir = root().resolve(name);
    byte[] bytes = Files.readAllBytes(dir.resolve("response.in.sse"));
    assertReplay(dir, List.of(bytes));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomByteBoundaries(String name) throws Exception {
    Path dir = root().resolve(name);
    byte[] bytes = Files.readAllBytes(dir.resolve("response.in.sse"));
    Random random = new Random(SEED ^ name.hashCode());
    for (int i = 0; i < CUTS; i++) {
      // Few big pieces on some runs, many tiny ones (single bytes, mid UTF-8) on others.
      int pieces = 1 + random.nextInt(i % 2 == 0 ? 6 : Math.max(1, bytes.length / 3));
      assertReplay(dir, cut(bytes, pieces, random));
    }
  }

  private static void assertReplay(Path dir, List<byte[]> pieces) throws IOException {
    List<JsonNode> expected = sseJson(dir.resolve("response.out.sse"));
    Path errorFile = dir.resolve("error.out.json");
    List<JsonNode> actual = new ArrayList<>();
    var translator = translator();
    TranslationException failure = null;
    try {
      for (byte[] piece : pieces) {
        translator.streamBytes(piece, chunk -> actual.add(reparse(chunk)));
      }
      translator.streamEnd(chunk -> actual.add(reparse(chunk)));
    } catch (TranslationException e) {
      failure = e;
    }
    assertThat(actual).containsExactlyElementsOf(expected);
    if (Files.exists(errorFile)) {
      JsonNode error = json(errorFile);
      assertThat(failure).as("expected the stream to fail").isNotNull();
      GatewayError e = failure.error();
      assertThat(e.status()).isEqualTo(error.get("status").asInt());
      assertThat(e.type()).isEqualTo(error.get("type").asText());
      assertThat(e.message()).isEqualTo(error.get("message").asText());
    } else {
      assertThat(failure).isNull();
      assertThat(translator.usage()).isNotNull();
    }
  }

  static List<byte[]> cut(byte[] bytes, int pieces, Random random) {
    int[] cuts = random.ints(pieces - 1, 0, bytes.length + 1).sorted().toArray();
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int at : cuts) {
      out.add(Arrays.copyOfRange(bytes, from, at));
      from = at;
    }
    out.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return out;
  }

  static OpenAiToAnthropicChatTranslator translator() {
    return new OpenAiToAnthropicChatTranslator(OpenAiToAnthropicChatTranslator.DEFAULT_VERSION, CLOCK);
  }

  static List<JsonNode> sseJson(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String event : Files.readString(file).split("\n\n")) {
      if (!event.isBlank()) {
        assertThat(event).startsWith("data: ");
        out.add(Json.MAPPER.readTree(event.substring("data: ".length())));
      }
    }
    return out;
  }

  /** Numbers as a parser reads them: an emitted long and a parsed int differ as nodes. */
  static JsonNode reparse(JsonNode node) {
    try {
      return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path root() {
    try {
      return Path.of(AnthropicChatGoldenTest.class.getResource("/fixtures/anthropic/chat").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
