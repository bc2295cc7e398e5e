package dev.aigis.core.provider.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundGolden;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case under {@code fixtures/openai-responses-inbound/}: {@code request.in.json}
 * (Responses) to {@code request.out.json} (pivot) or {@code request.error.json} (the 400),
 * {@code response.in.json} (pivot) to {@code response.out.json} (a Responses {@code response}),
 * and {@code response.in.sse} (pivot chunks) to {@code response.out.sse} (typed Responses events),
 * the stream whole, cut at random byte boundaries and byte by byte. A case with a request echoes
 * its fields in the answers, so the request goes through the codec first.
 *
 * <p>A missing expected file is written from what the codec produced, and the test fails so the
 * new golden file is reviewed before it is committed.
 */
class ResponsesInboundGoldenTest {

  private static final InboundGolden GOLDEN = new InboundGolden("openai-responses-inbound");
  private static final Path ROOT = GOLDEN.root();
  private static final Path SOURCE = Path.of("src/test/resources/fixtures/openai-responses-inbound");

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
    assertThat(streamCases().toList()).contains("stream-text", "stream-reasoning-tool-calls");
    assertThat(cases("request.error.json").toList())
        .contains("refuse-store", "refuse-previous-response-id", "refuse-builtin-tool");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void requestToPivot(String name) throws Exception {
    JsonNode in = json(name, "request.in.json");
    if (Files.exists(ROOT.resolve(name).resolve("request.error.json"))) {
      JsonNode expected = json(name, "request.error.json");
      assertThatThrownBy(() -> new ResponsesInboundCodec().toPivot(in))
          .isInstanceOfSatisfying(TranslationException.class, e -> {
            assertThat(e.error()).isInstanceOf(GatewayError.InvalidRequest.class);
            assertThat(e.error().status()).isEqualTo(expected.path("status").asInt());
            assertThat(((GatewayError.InvalidRequest) e.error()).param()).isEqualTo(expected.path("param").asText());
            assertThat(e.error().message()).isEqualTo(expected.path("message").asText());
          });
      return;
    }
    JsonNode before = in.deepCopy();
    ObjectNode pivot = new ResponsesInboundCodec().toPivot(in);
    assertThat(in).as("the client's request is not modified").isEqualTo(before);
    golden(name, "request.out.json", Json.MAPPER.writeValueAsBytes(pivot));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void pivotResponseToResponse(String name) throws Exception {
    byte[] body = codecFor(name).fromPivot((ObjectNode) json(name, "response.in.json"));
    golden(name, "response.out.json", body);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void pivotStreamToEvents(String name) throws Exception {
    byte[] in = Files.readAllBytes(ROOT.resolve(name).resolve("response.in.sse"));
    byte[] whole = replay(name, in, new int[0]);
    Path expected = ROOT.resolve(name).resolve("response.out.sse");
    if (!Files.exists(expected)) {
      writeAndFail(name, "response.out.sse", whole);
    }
    assertSameEvents(whole, Files.readAllBytes(expected));

    InboundGolden.assertCutsChangeNothing(cuts -> {
      try {
        return replay(name, in, cuts);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, in, whole, 0x5E5905L);
  }

  /** A codec that has seen the case's request, when it has one. */
  private static ResponsesInboundCodec codecFor(String name) throws Exception {
    var codec = new ResponsesInboundCodec();
    if (Files.exists(ROOT.resolve(name).resolve("request.in.json"))
        && !Files.exists(ROOT.resolve(name).resolve("request.error.json"))) {
      codec.toPivot(json(name, "request.in.json"));
    }
    return codec;
  }

  /** A fresh codec driven by the pivot stream; a second end is a no-op. */
  private static byte[] replay(String name, byte[] stream, int[] cuts) throws Exception {
    var codec = codecFor(name);
    byte[] out = InboundGolden.replay(codec, stream, cuts);
    codec.pivotEnd(event -> {
      throw new AssertionError("a second end emitted an event");
    });
    return out;
  }

  /** Same events in the same order, each {@code event:} line naming its data's type, sequence numbers 0, 1, 2... */
  private static void assertSameEvents(byte[] actual, byte[] expected) throws IOException {
    List<SseEvent> got = decode(actual);
    List<SseEvent> want = decode(expected);
    assertThat(got).extracting(SseEvent::event).containsExactlyElementsOf(want.stream().map(SseEvent::event).toList());
    for (int i = 0; i < got.size(); i++) {
      SseEvent event = got.get(i);
      JsonNode data = Json.MAPPER.readTree(event.data());
      assertThat(data).as("event %d (%s)", i, event.event()).isEqualTo(Json.MAPPER.readTree(want.get(i).data()));
      assertThat(data.path("type").asText()).isEqualTo(event.event());
      assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
      assertThat(new String(event.raw(), StandardCharsets.UTF_8))
          .isEqualTo("event: " + event.event() + "\ndata: " + event.data() + "\n\n");
    }
  }

  private static void golden(String name, String file, byte[] actual) throws IOException {
    Path expected = ROOT.resolve(name).resolve(file);
    if (!Files.exists(expected)) {
      writeAndFail(name, file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(Json.MAPPER.readTree(actual)));
    }
    assertThat(Json.MAPPER.readTree(actual)).isEqualTo(Json.MAPPER.readTree(expected.toFile()));
  }

  private static void writeAndFail(String name, String file, byte[] actual) throws IOException {
    Path target = SOURCE.resolve(name).resolve(file);
    Files.write(target, actual);
    fail("wrote %s: review it and run again", target);
  }

  private static List<SseEvent> decode(byte[] bytes) {
    return InboundGolden.decode(bytes);
  }

  private static JsonNode json(String name, String file) throws IOException {
    return GOLDEN.json(name, file);
  }

  private static Stream<String> cases(String requiredFile) throws IOException {
    return GOLDEN.cases(requiredFile);
  }
}
