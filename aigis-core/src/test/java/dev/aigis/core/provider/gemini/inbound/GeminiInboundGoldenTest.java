package dev.aigis.core.provider.gemini.inbound;

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
 * Replays every case under {@code fixtures/gemini-inbound/}: {@code request.in.json} (Gemini, the
 * path's model {@code gemini-2.5-flash}, streamed when the case's name starts with {@code stream})
 * to {@code request.out.json} (pivot), {@code response.in.json} (pivot) to
 * {@code response.out.json} (Gemini), and {@code response.in.sse} (pivot chunks) to
 * {@code response.out.sse} (Gemini {@code data:} events), the stream whole, cut at random byte
 * boundaries and byte by byte.
 */
class GeminiInboundGoldenTest {

  private static final InboundGolden GOLDEN = new InboundGolden("gemini-inbound");
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
    byte[] in = GOLDEN.bytes(name, "response.in.sse");
    byte[] whole = replay(in, new int[0]);
    assertSameEvents(whole, GOLDEN.bytes(name, "response.out.sse"));

    InboundGolden.assertCutsChangeNothing(cuts -> replay(in, cuts), in, whole, 0x6E41L);
  }

  private static byte[] replay(byte[] stream, int[] cuts) {
    return InboundGolden.replay(new GeminiInboundCodec(MODEL, true), stream, cuts);
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
