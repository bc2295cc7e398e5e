package dev.aigis.core.provider.anthropic.inbound;

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
 * Replays every case under {@code fixtures/anthropic-inbound/}: {@code request.in.json} (Anthropic)
 * to {@code request.out.json} (pivot), {@code response.in.json} (pivot) to
 * {@code response.out.json} (Anthropic), and {@code response.in.sse} (pivot chunks as OpenAI
 * {@code data:} events) to {@code response.out.sse} (Anthropic events), the stream whole and cut at
 * random byte boundaries.
 */
class AnthropicInboundGoldenTest {

  private static final Path ROOT = root();

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
    assertThat(cases("").toList()).hasSizeGreaterThanOrEqualTo(8);
    assertThat(streamCases().toList())
        .contains("stream-text", "stream-two-tool-calls", "stream-interleaved-tool-calls");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void requestToPivot(String name) throws Exception {
    ObjectNode pivot = new AnthropicInboundCodec().toPivot(json(name, "request.in.json"));
    assertThat(reparse(Json.MAPPER.writeValueAsBytes(pivot))).isEqualTo(json(name, "request.out.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void pivotResponseToMessage(String name) throws Exception {
    byte[] body = new AnthropicInboundCodec().fromPivot((ObjectNode) json(name, "response.in.json"));
    assertThat(reparse(body)).isEqualTo(json(name, "response.out.json"));
  }

  /**
   * The stream's events equal the golden ones; then the same pivot stream, cut at random byte
   * boundaries (fixed seed) and byte by byte before decoding, gives byte-identical output.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void pivotStreamToEvents(String name) throws Exception {
    byte[] in = Files.readAllBytes(ROOT.resolve(name).resolve("response.in.sse"));
    byte[] whole = replay(in, new int[0]);
    assertSameEvents(whole, Files.readAllBytes(ROOT.resolve(name).resolve("response.out.sse")));

    var random = new Random(0xA1615L);
    for (int round = 0; round < 200; round++) {
      int[] cuts = random.ints(1 + random.nextInt(12), 1, in.length).sorted().distinct().toArray();
      assertThat(replay(in, cuts)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(whole);
    }
    int[] everyByte = java.util.stream.IntStream.range(1, in.length).toArray();
    assertThat(replay(in, everyByte)).isEqualTo(whole);
  }

  /** Decodes OpenAI SSE fed in the given pieces and drives a fresh codec with each chunk. */
  private static byte[] replay(byte[] stream, int[] cuts) {
    var codec = new AnthropicInboundCodec();
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
    codec.pivotEnd(out::writeBytes); // a second end is a no-op
    return out.toByteArray();
  }

  private static void assertSameEvents(byte[] actual, byte[] expected) throws IOException {
    List<SseEvent> got = decode(actual);
    List<SseEvent> want = decode(expected);
    assertThat(got).extracting(SseEvent::event).containsExactlyElementsOf(want.stream().map(SseEvent::event).toList());
    for (int i = 0; i < got.size(); i++) {
      SseEvent event = got.get(i);
      JsonNode data = Json.MAPPER.readTree(event.data());
      assertThat(data).as("event %d (%s)", i, event.event()).isEqualTo(Json.MAPPER.readTree(want.get(i).data()));
      assertThat(data.path("type").asText()).isEqualTo(event.event());
      assertThat(new String(event.raw(), StandardCharsets.UTF_8))
          .isEqualTo("event: " + event.event() + "\ndata: " + event.data() + "\n\n");
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

  /** Through bytes, so numbers compare by value as parsed, not by the node class that built them. */
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
      return Path.of(Objects.requireNonNull(AnthropicInboundGoldenTest.class.getResource("/fixtures/anthropic-inbound")).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
