package dev.aigis.core.provider.gemini.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case under {@code fixtures/gemini-inbound/}: {@code request.in.json} (Gemini, the
 * path's model {@code gemini-2.5-flash}, streamed when the case's name starts with {@code stream})
 * to {@code request.out.json} (pivot), {@code response.in.json} (pivot) to
 * {@code response.out.json} (Gemini), and {@code response.in.sse} (pivot chunks) to
 * {@code response.out.sse} (Gemini {@code data:} events), the stream whole, cut at random byte
 * boundaries and byte by byte.
 */
class GeminiInboundGoldenTest {

  private static final Path ROOT = root();
  private static final String MODEL = "gemini-2.5-flash";

  static Stream<String> requestCases() throws IOException {
    return cases("request.in.json");
  }

  static Stream<String> responseCases() throws IOException {
    return cases("response.in.json");
  }

  static Stream<String> streamCases() throws IOException {
    return cases("response.in.sse");
  }

  @Test
  void fixturesCoverTheAgreedCases() throws IOException {
    assertThat(requestCases().toList())
        .contains("simple", "thinking-multi-turn", "tool-round-trip", "images", "json-schema", "stream-text");
    assertThat(streamCases().toList()).contains("stream-text", "stream-tool-calls", "stream-reasoning");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void requestToPivot(String name) throws Exception {
    ObjectNode pivot = new GeminiInboundCodec(MODEL, name.startsWith("stream")).toPivot(json(name, "request.in.json"));
    assertThat(reparse(Json.MAPPER.writeValueAsBytes(pivot))).isEqualTo(json(name, "request.out.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void pivotResponseToGenerateContentResponse(String name) throws Exception {
    byte[] body = new GeminiInboundCodec(MODEL, false).fromPivot((ObjectNode) json(name, "response.in.json"));
    assertThat(reparse(body)).isEqualTo(json(name, "response.out.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void pivotStreamToEvents(String name) throws Exception {
    byte[] in = Files.readAllBytes(ROOT.resolve(name).resolve("response.in.sse"));
    byte[] whole = replay(in, new int[0]);
    assertSameEvents(whole, Files.readAllBytes(ROOT.resolve(name).resolve("response.out.sse")));

    var random = new Random(0x6E41L);
    for (int round = 0; round < 200; round++) {
      int[] cuts = random.ints(1 + random.nextInt(12), 1, in.length).sorted().distinct().toArray();
      assertThat(replay(in, cuts)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(whole);
    }
    int[] everyByte = java.util.stream.IntStream.range(1, in.length).toArray();
    assertThat(replay(in, everyByte)).isEqualTo(whole);
  }

  /** Decodes pivot SSE fed in the given pieces and drives a fresh codec with each chunk; {@code [DONE]} ends it. */
  private static byte[] replay(byte[] stream, int[] cuts) {
    var codec = new GeminiInboundCodec(MODEL, true);
    var out = new ByteArrayOutputStream();
    var decoder = new SseDecoder(event -> {
      if (event.data() == null) {
        return;
      }
      if (event.isDone()) {
        codec.pivotEnd(out::writeBytes);
        return;
      }
      try {
        codec.pivotChunk((ObjectNode) Json.MAPPER.readTree(event.data()), out::writeBytes);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }, 1 << 16);
    int from = 0;
    for (int cut : cuts) {
      decoder.feed(stream, from, cut - from);
      from = cut;
    }
    decoder.feed(stream, from, stream.length - from);
    return out.toByteArray();
  }

  /** Same events, each a bare {@code data:} line (Gemini names no events) holding the same JSON. */
  private static void assertSameEvents(byte[] actual, byte[] expected) throws IOException {
    List<SseEvent> got = decode(actual);
    List<SseEvent> want = decode(expected);
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < got.size(); i++) {
      SseEvent event = got.get(i);
      assertThat(event.event()).isNull();
      assertThat(Json.MAPPER.readTree(event.data())).as("event %d", i).isEqualTo(Json.MAPPER.readTree(want.get(i).data()));
      assertThat(new String(event.raw(), StandardCharsets.UTF_8)).isEqualTo("data: " + event.data() + "\n\n");
    }
  }

  private static List<SseEvent> decode(byte[] bytes) {
    var events = new ArrayList<SseEvent>();
    new SseDecoder(events::add, 1 << 16).feed(bytes);
    return events;
  }

  private static JsonNode json(String name, String file) throws IOException {
    return Json.MAPPER.readTree(ROOT.resolve(name).resolve(file).toFile());
  }

  private static JsonNode reparse(byte[] bytes) throws IOException {
    return Json.MAPPER.readTree(bytes);
  }

  private static Stream<String> cases(String requiredFile) throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(Files::isDirectory)
          .filter(dir -> requiredFile.isEmpty() || Files.exists(dir.resolve(requiredFile)))
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  private static Path root() {
    try {
      return Path.of(Objects.requireNonNull(GeminiInboundGoldenTest.class.getResource("/fixtures/gemini-inbound")).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
