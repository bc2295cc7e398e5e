package dev.aigis.core.provider.anthropic.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundGolden;
import dev.aigis.core.sse.SseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  private static final InboundGolden GOLDEN = new InboundGolden("anthropic-inbound");

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
    byte[] in = GOLDEN.bytes(name, "response.in.sse");
    byte[] whole = replay(in, new int[0]);
    assertSameEvents(whole, GOLDEN.bytes(name, "response.out.sse"));
    InboundGolden.assertCutsChangeNothing(cuts -> replay(in, cuts), in, whole, 0xA1615L);
  }

  /** A fresh codec driven by the pivot stream; a second end is a no-op. */
  private static byte[] replay(byte[] stream, int[] cuts) {
    var codec = new AnthropicInboundCodec();
    byte[] out = InboundGolden.replay(codec, stream, cuts);
    codec.pivotEnd(event -> {
      throw new AssertionError("a second end emitted an event");
    });
    return out;
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
    return InboundGolden.decode(bytes);
  }

  private static JsonNode json(String name, String file) throws IOException {
    return GOLDEN.json(name, file);
  }

  private static JsonNode reparse(byte[] bytes) throws IOException {
    return InboundGolden.reparse(bytes);
  }

  private static Stream<String> cases(String requiredFile) throws IOException {
    return GOLDEN.cases(requiredFile);
  }
}
