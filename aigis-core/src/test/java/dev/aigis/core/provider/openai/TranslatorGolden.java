package dev.aigis.core.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Replays golden cases under {@code fixtures/<provider>/chat/<case>/} through a backend translator.
 * A case holds any of these pairs, each checked when present:
 *
 * <ul>
 *   <li>{@code call.json} + {@code request.in.json} → {@code request.out.json} (body) and {@code
 *       upstream.json} (method, path, headers)
 *   <li>{@code response.in.json} → {@code response.out.json}, or {@code response.error.json}
 *   <li>{@code response.in.sse} → {@code response.out.sse} (chunks emitted), then {@code
 *       response.error.json} when the stream must fail
 *   <li>{@code usage.json}: usage after the answer or stream
 *   <li>{@code error.in.json} ({@code status}, raw {@code body}) → {@code error.out.json}
 * </ul>
 */
public final class TranslatorGolden {

  private TranslatorGolden() {}

  public static Stream<Path> cases(String provider) {
    try {
      Path root = Path.of(TranslatorGolden.class.getResource("/fixtures/" + provider + "/chat").toURI());
      try (Stream<Path> dirs = Files.list(root)) {
        return dirs.filter(Files::isDirectory).sorted().toList().stream();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Stream<Path> streamCases(String provider) {
    return cases(provider).filter(dir -> Files.exists(dir.resolve("response.in.sse")));
  }

  public static void check(Path dir, Supplier<BackendTranslator> translators) throws Exception {
    boolean checked = false;
    if (Files.exists(dir.resolve("request.in.json"))) {
      checkRequest(dir, translators.get());
      checked = true;
    }
    if (Files.exists(dir.resolve("response.in.json"))) {
      checkResponse(dir, translators.get());
      checked = true;
    }
    if (Files.exists(dir.resolve("response.in.sse"))) {
      byte[] sse = Files.readAllBytes(dir.resolve("response.in.sse"));
      checkStream(dir, translators.get(), List.of(sse));
      checked = true;
    }
    if (Files.exists(dir.resolve("error.in.json"))) {
      checkError(dir, translators.get());
      checked = true;
    }
    assertThat(checked).as("case %s has no input file", dir.getFileName()).isTrue();
  }

  /** Feeds the stream cut at random byte boundaries, {@code rounds} times, with a fixed seed. */
  public static void replayCut(Path dir, Supplier<BackendTranslator> translators, int rounds)
      throws Exception {
    byte[] sse = Files.readAllBytes(dir.resolve("response.in.sse"));
    var random = new Random(20250101L ^ dir.getFileName().toString().hashCode());
    for (int round = 0; round < rounds; round++) {
      checkStream(dir, translators.get(), cut(sse, random, round));
    }
    checkStream(dir, translators.get(), cut(sse, random, -1));
  }

  /** Round -1: one byte per piece; otherwise 1 to 12 random cuts. */
  static List<byte[]> cut(byte[] bytes, Random random, int round) {
    List<byte[]> pieces = new ArrayList<>();
    if (round < 0) {
      for (byte b : bytes) {
        pieces.add(new byte[] {b});
      }
      return pieces;
    }
    int[] cuts = random.ints(1 + random.nextInt(12), 0, bytes.length + 1).sorted().toArray();
    int from = 0;
    for (int at : cuts) {
      pieces.add(Arrays.copyOfRange(bytes, from, at));
      from = at;
    }
    pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return pieces;
  }

  static void checkRequest(Path dir, BackendTranslator translator) throws Exception {
    JsonNode callJson = read(dir.resolve("call.json"));
    var call = new BackendCall(callJson.path("model").asText(), callJson.path("stream").asBoolean(),
        callJson.path("basePath").asText(""));
    ObjectNode in = (ObjectNode) read(dir.resolve("request.in.json"));
    ObjectNode inBefore = in.deepCopy();
    UpstreamCall upstream = translator.chatRequest(in, call);
    assertThat(Json.MAPPER.readTree(upstream.body())).as("request body").isEqualTo(read(dir.resolve("request.out.json")));
    assertThat(in).as("the pivot is not modified").isEqualTo(inBefore);
    JsonNode expected = read(dir.resolve("upstream.json"));
    assertThat(upstream.method()).isEqualTo(expected.path("method").asText());
    assertThat(upstream.pathAndQuery()).isEqualTo(expected.path("path").asText());
    assertThat((JsonNode) Json.MAPPER.valueToTree(upstream.headers())).as("headers").isEqualTo(expected.path("headers"));
  }

  static void checkResponse(Path dir, BackendTranslator translator) throws Exception {
    byte[] body = Files.readAllBytes(dir.resolve("response.in.json"));
    if (Files.exists(dir.resolve("response.error.json"))) {
      try {
        translator.chatResponse(body);
        fail("expected a TranslationException");
      } catch (TranslationException e) {
        assertError(e.error(), read(dir.resolve("response.error.json")));
      }
      return;
    }
    assertThat(reparse(translator.chatResponse(body))).isEqualTo(read(dir.resolve("response.out.json")));
    assertUsage(dir, translator.usage());
  }

  static void checkStream(Path dir, BackendTranslator translator, List<byte[]> pieces) throws Exception {
    List<JsonNode> emitted = new ArrayList<>();
    GatewayError failure = null;
    try {
      for (byte[] piece : pieces) {
        translator.streamBytes(piece, chunk -> emitted.add(reparse(chunk)));
      }
      translator.streamEnd(chunk -> emitted.add(reparse(chunk)));
    } catch (TranslationException e) {
      failure = e.error();
    }
    assertThat(emitted).as("chunks of %s cut in %d", dir.getFileName(), pieces.size())
        .isEqualTo(sseData(Files.readString(dir.resolve("response.out.sse"))));
    Path error = dir.resolve("response.error.json");
    if (Files.exists(error)) {
      assertThat(failure).as("stream failure").isNotNull();
      assertError(failure, read(error));
    } else {
      assertThat(failure).as("stream failure").isNull();
      assertUsage(dir, translator.usage());
    }
  }

  static void checkError(Path dir, BackendTranslator translator) throws Exception {
    JsonNode in = read(dir.resolve("error.in.json"));
    GatewayError error = translator.upstreamError(in.path("status").asInt(),
        in.path("body").asText().getBytes(StandardCharsets.UTF_8));
    JsonNode expected = read(dir.resolve("error.out.json"));
    assertThat(error.getClass().getSimpleName()).isEqualTo(expected.path("kind").asText());
    assertError(error, expected);
  }

  static void assertError(GatewayError error, JsonNode expected) {
    assertThat(error.status()).as("status").isEqualTo(expected.path("status").asInt());
    assertThat(error.type()).as("type").isEqualTo(expected.path("type").asText());
    assertThat(error.code()).as("code").isEqualTo(expected.path("code").asText());
    assertThat(error.message()).as("message").isEqualTo(expected.path("message").asText());
  }

  static void assertUsage(Path dir, TokenUsage usage) throws IOException {
    Path file = dir.resolve("usage.json");
    if (Files.exists(file)) {
      assertThat(usage).isEqualTo(Json.MAPPER.readValue(file.toFile(), TokenUsage.class));
    }
  }

  static List<JsonNode> sseData(String sse) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String event : sse.split("\n\n")) {
      if (!event.isBlank()) {
        assertThat(event).startsWith("data: ");
        out.add(Json.MAPPER.readTree(event.substring("data: ".length())));
      }
    }
    return out;
  }

  /** Numbers as a parser reads them: an emitted long and a parsed int are different nodes. */
  static JsonNode reparse(JsonNode node) {
    try {
      return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) throws IOException {
    return Json.MAPPER.readTree(file.toFile());
  }
}
