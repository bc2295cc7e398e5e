package dev.aigis.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.azure.AzureOpenAiEmbeddingsTranslator;
import dev.aigis.core.provider.bedrock.BedrockTitanEmbeddingsTranslator;
import dev.aigis.core.provider.gemini.GeminiEmbeddingsTranslator;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.core.provider.openai.OpenAiCompletionsInboundCodec;
import dev.aigis.model.backend.AwsCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases for OpenAI's legacy completions (through the Anthropic chat translator) and
 * embeddings translation, under {@code fixtures/<provider>/completions|embeddings/<case>/}.
 *
 * <p>Completions: {@code request.in.json} (an OpenAI completions request) → {@code
 * request.out.json} (the backend body), or {@code error.out.json} when refused; {@code
 * response.in.json} (the backend answer) → {@code response.out.json}; {@code response.in.sse} →
 * {@code response.out.sse}. Embeddings: {@code call.json} + {@code request.in.json} → {@code
 * upstream.json} (each call's method, path, chosen headers and body), or {@code error.out.json};
 * {@code responses.in.json} (the answers, one per call) → {@code response.out.json}.
 *
 * <p>Run with {@code -Dgolden.write=true} to (re)write the expected files, then review them.
 */
class CompletionsAndEmbeddingsGoldenTest {

  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));
  static final boolean WRITE = Boolean.getBoolean("golden.write");
  static final List<String> SHOWN_HEADERS = List.of("api-key", "x-goog-api-key", "authorization", "content-type", "accept");

  static Stream<Path> completionCases() throws Exception {
    return cases("anthropic/completions");
  }

  static Stream<Path> embeddingCases() throws Exception {
    return Stream.of("azure", "gemini", "bedrock").flatMap(p -> {
      try {
        return cases(p + "/embeddings");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static Stream<Path> cases(String under) throws Exception {
    Path root = Path.of(CompletionsAndEmbeddingsGoldenTest.class.getResource("/fixtures/" + under).toURI());
    if (WRITE) { // write next to the sources, not into target/
      root = Path.of("src/test/resources/fixtures/" + under).toAbsolutePath();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("completionCases")
  void completions(Path dir) throws Exception {
    JsonNode request = read(dir.resolve("request.in.json"));
    var codec = new OpenAiCompletionsInboundCodec();
    ObjectNode pivot;
    try {
      pivot = codec.toPivot(request);
    } catch (TranslationException e) {
      expect(dir.resolve("error.out.json"), errorJson(e));
      return;
    }
    var translator = new OpenAiToAnthropicChatTranslator("2023-06-01", CLOCK);
    boolean stream = request.path("stream").asBoolean(false);
    UpstreamCall call = translator.chatRequest(pivot, new BackendCall(pivot.path("model").asText(), stream, ""));
    expect(dir.resolve("request.out.json"), Json.MAPPER.readTree(call.body()));
    if (Files.exists(dir.resolve("response.in.json"))) {
      ObjectNode chat = translator.chatResponse(Files.readAllBytes(dir.resolve("response.in.json")));
      expect(dir.resolve("response.out.json"), Json.MAPPER.readTree(codec.fromPivot(chat)));
    }
    if (Files.exists(dir.resolve("response.in.sse"))) {
      var out = new ByteArrayOutputStream();
      translator.streamBytes(Files.readAllBytes(dir.resolve("response.in.sse")), chunk -> codec.pivotChunk(chunk, out::writeBytes));
      translator.streamEnd(chunk -> codec.pivotChunk(chunk, out::writeBytes));
      codec.pivotEnd(out::writeBytes);
      expectText(dir.resolve("response.out.sse"), out.toString(StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("embeddingCases")
  void embeddings(Path dir) throws Exception {
    EmbeddingsTranslator translator = translator(dir);
    JsonNode callJson = read(dir.resolve("call.json"));
    var call = new BackendCall(callJson.path("model").asText(), false, callJson.path("basePath").asText(""));
    List<UpstreamCall> calls;
    try {
      calls = translator.request((ObjectNode) read(dir.resolve("request.in.json")), call);
    } catch (TranslationException e) {
      expect(dir.resolve("error.out.json"), errorJson(e));
      return;
    }
    ArrayNode upstream = Json.MAPPER.createArrayNode();
    for (UpstreamCall c : calls) {
      ObjectNode one = upstream.addObject().put("method", c.method()).put("path", c.pathAndQuery());
      ObjectNode headers = one.putObject("headers");
      SHOWN_HEADERS.forEach(h -> {
        if (c.headers().containsKey(h)) {
          headers.put(h, c.headers().get(h));
        }
      });
      if (dir.getParent().getParent().getFileName().toString().equals("bedrock")) {
        assertThat(c.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
        headers.remove("authorization");
      }
      one.set("body", Json.MAPPER.readTree(c.body()));
    }
    expect(dir.resolve("upstream.json"), upstream);
    if (Files.exists(dir.resolve("responses.in.json"))) {
      List<byte[]> bodies = new ArrayList<>();
      for (JsonNode body : read(dir.resolve("responses.in.json"))) {
        bodies.add(Json.MAPPER.writeValueAsBytes(body));
      }
      expect(dir.resolve("response.out.json"), translator.response(bodies));
      assertThat(translator.usage().input()).isEqualTo(translator.response(bodies).path("usage").path("prompt_tokens").asLong());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("embeddingCases")
  void embeddingErrorsKeepTheProvidersMessage(Path dir) {
    if (!Files.exists(dir.resolve("responses.in.json"))) {
      return;
    }
    String provider = dir.getParent().getParent().getFileName().toString();
    String body = switch (provider) {
      case "azure" -> "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit exceeded\"}}";
      case "gemini" -> "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}";
      default -> "{\"message\":\"Rate limit exceeded\"}";
    };
    var error = translator(dir).upstreamError(429, body.getBytes(StandardCharsets.UTF_8));
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.message()).contains("Rate limit exceeded");
    assertThatThrownBy(() -> translator(dir).response(List.of("{}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error().status()).isEqualTo(502));
  }

  static EmbeddingsTranslator translator(Path dir) {
    String provider = dir.getParent().getParent().getFileName().toString();
    return switch (provider) {
      case "azure" -> new AzureOpenAiEmbeddingsTranslator("2024-10-21");
      case "gemini" -> new GeminiEmbeddingsTranslator(dir.getFileName().toString().startsWith("vertex-")
          ? new OpenAiToGeminiChatTranslator.Target.Vertex("my-project", "us-central1")
          : new OpenAiToGeminiChatTranslator.Target.GoogleAi());
      case "bedrock" -> new BedrockTitanEmbeddingsTranslator(
          new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null),
          "us-east-1", "bedrock-runtime.us-east-1.amazonaws.com", CLOCK);
      default -> throw new IllegalArgumentException(provider);
    };
  }

  static JsonNode errorJson(TranslationException e) {
    return Json.MAPPER.createObjectNode().put("status", e.error().status()).put("type", e.error().type())
        .put("message", e.error().message());
  }

  static JsonNode read(Path file) throws Exception {
    return Json.MAPPER.readTree(Files.readAllBytes(file));
  }

  static void expect(Path file, JsonNode tree) throws Exception {
    JsonNode actual = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(tree)); // as it goes on the wire
    if (WRITE) {
      Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
      return;
    }
    assertThat(Files.exists(file)).as("%s exists", file).isTrue();
    assertThat(actual).as(file.toString()).isEqualTo(read(file));
  }

  static void expectText(Path file, String actual) throws Exception {
    if (WRITE) {
      Files.writeString(file, actual);
      return;
    }
    assertThat(actual).as(file.toString()).isEqualTo(Files.readString(file));
  }
}
