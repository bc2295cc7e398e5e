package dev.aigis.core.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.AwsCredentials;
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
 * Replays every case under {@code fixtures/bedrock/converse/}: {@code request.in.json} (OpenAI) to
 * {@code request.out.json} (Converse body; or the 400 in {@code error.out.json}),
 * {@code response.in.json} (Converse) to {@code response.out.json} (OpenAI), and the event-stream
 * {@code response.in.bin} to the pivot chunks in {@code response.out.sse}, whole and cut at random
 * byte boundaries (fixed seed). {@code response.in.events} is the readable form of the binary
 * ({@link EventStreamFixtures}); the two must agree. A stream case with {@code error.out.json} must
 * fail with that error after emitting exactly the expected chunks.
 */
class BedrockConverseGoldenTest {

  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));
  static final AwsCredentials CREDENTIALS =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
  static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  static final long SEED = 0xBED_0C4L;
  static final int CUTS = 64;

  static Stream<String> requestCases() throws IOException {
    return casesWith("request.in.json");
  }

  static Stream<String> responseCases() throws IOException {
    return casesWith("response.in.json");
  }

  static Stream<String> streamCases() throws IOException {
    return casesWith("response.in.events");
  }

  private static Stream<String> casesWith(String file) throws IOException {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(d -> Files.exists(d.resolve(file))).map(p -> p.getFileName().toString())
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void request(String name) throws Exception {
    Path dir = root().resolve(name);
    ObjectNode in = (ObjectNode) json(dir.resolve("request.in.json"));
    boolean stream = in.path("stream").asBoolean(false);
    var call = new BackendCall(in.path("model").asText(), stream, "");
    if (!Files.exists(dir.resolve("request.out.json"))) {
      assertThatThrownBy(() -> translator().chatRequest(in, call))
          .isInstanceOfSatisfying(TranslationException.class, e -> assertError(e.error(), dir));
      return;
    }

    UpstreamCall upstream = translator().chatRequest(in, call);

    assertThat(upstream.method()).isEqualTo("POST");
    assertThat(upstream.pathAndQuery()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/"
        + (stream ? "converse-stream" : "converse"));
    assertThat(Json.MAPPER.readTree(upstream.body())).isEqualTo(json(dir.resolve("request.out.json")));
    assertThat(upstream.headers()).containsEntry("x-amz-date", "20231114T221320Z")
        .containsKey("authorization").doesNotContainKey("host").doesNotContainKey("Host");
    assertThat(upstream.headers().get("authorization")).startsWith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/bedrock/aws4_request, SignedHeaders=");
    Path headers = dir.resolve("request.out.headers.json");
    if (Files.exists(headers)) { // the whole signed header set, pinned (fixed clock and credentials)
      com.fasterxml.jackson.databind.JsonNode signed = Json.MAPPER.valueToTree(new java.util.TreeMap<>(upstream.headers()));
      assertThat(signed).isEqualTo(json(headers));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void response(String name) throws Exception {
    Path dir = root().resolve(name);
    var translator = started(false);

    ObjectNode out = translator.chatResponse(Files.readAllBytes(dir.resolve("response.in.json")));

    assertThat(reparse(out)).isEqualTo(json(dir.resolve("response.out.json")));
    assertThat(translator.usage()).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void binaryMatchesItsReadableForm(String name) throws Exception {
    Path dir = root().resolve(name);
    assertThat(EventStreamFixtures.decode(Files.readAllBytes(dir.resolve("response.in.bin"))))
        .containsExactlyElementsOf(EventStreamFixtures.lines(dir.resolve("response.in.events")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamWhole(String name) throws Exception {
    Path dir = root().resolve(name);
    assertReplay(dir, List.of(Files.readAllBytes(dir.resolve("response.in.bin"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomByteBoundaries(String name) throws Exception {
    Path dir = root().resolve(name);
    byte[] bytes = Files.readAllBytes(dir.resolve("response.in.bin"));
    Random random = new Random(SEED ^ name.hashCode());
    for (int i = 0; i < CUTS; i++) {
      // Few big pieces on some runs, many tiny ones (inside preludes, headers, CRCs) on others.
      int pieces = 1 + random.nextInt(i % 2 == 0 ? 6 : Math.max(1, bytes.length / 3));
      assertReplay(dir, cut(bytes, pieces, random));
    }
  }

  private static void assertReplay(Path dir, List<byte[]> pieces) throws Exception {
    List<JsonNode> expected = sseJson(dir.resolve("response.out.sse"));
    List<JsonNode> actual = new ArrayList<>();
    var translator = started(true);
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
    if (Files.exists(dir.resolve("error.out.json"))) {
      assertThat(failure).as("expected the stream to fail").isNotNull();
      assertError(failure.error(), dir);
    } else {
      assertThat(failure).isNull();
      assertThat(translator.usage()).isNotNull();
    }
  }

  private static void assertError(GatewayError error, Path dir) {
    JsonNode expected = json(dir.resolve("error.out.json"));
    assertThat(error.status()).isEqualTo(expected.get("status").asInt());
    assertThat(error.type()).isEqualTo(expected.get("type").asText());
    assertThat(error.message()).isEqualTo(expected.get("message").asText());
  }

  /** A translator that has sent a request for {@link #MODEL}, as the proxy uses it. */
  static OpenAiToBedrockConverseTranslator started(boolean stream) throws TranslationException {
    var translator = translator();
    ObjectNode request = Json.MAPPER.createObjectNode().put("model", MODEL);
    request.putArray("messages").addObject().put("role", "user").put("content", "Hi");
    translator.chatRequest(request, new BackendCall(MODEL, stream, ""));
    return translator;
  }

  static OpenAiToBedrockConverseTranslator translator() {
    return new OpenAiToBedrockConverseTranslator(CREDENTIALS, "us-east-1",
        "bedrock-runtime.us-east-1.amazonaws.com", CLOCK, () -> "chatcmpl-bedrock-test");
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
      return Path.of(BedrockConverseGoldenTest.class.getResource("/fixtures/bedrock/converse").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
