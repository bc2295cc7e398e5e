package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Responses inbound codec's golden answers and streams ({@code aigis-core}'s
 * {@code fixtures/openai-responses-inbound/}) parse and validate as the official openai-java SDK's
 * {@link Response} and {@link ResponseStreamEvent}, each event as the variant its {@code type}
 * names; so cases no fake upstream can produce (reasoning text, interleaved tool calls, length
 * stops) are held to the SDK's shapes too.
 */
class ResponsesGoldenSdkShapesTest {

  private static final Path ROOT = Path.of("../aigis-core/src/test/resources/fixtures/openai-responses-inbound");
  private static final ObjectMapper SDK = ObjectMappers.jsonMapper();

  static Stream<Path> answers() throws IOException {
    return files("response.out.json");
  }

  static Stream<Path> streams() throws IOException {
    return files("response.out.sse");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void answersAreValidResponses(Path file) throws IOException {
    Response response = SDK.readValue(file.toFile(), Response.class);

    response.validate();
    assertThat(response.output()).isNotEmpty().allSatisfy(item -> item.validate());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void streamEventsAreValidTypedEvents(Path file) throws IOException {
    List<String> types = new ArrayList<>();
    for (String block : Files.readString(file).split("\n\n")) {
      String data = block.substring(block.indexOf("\ndata: ") + "\ndata: ".length());
      ResponseStreamEvent event = SDK.readValue(data, ResponseStreamEvent.class);
      event.validate();
      String type = SDK.readTree(data).path("type").asText();
      types.add(type);
      assertThat(VARIANTS).as("a variant the SDK knows").containsKey(type);
      assertThat(VARIANTS.get(type).test(event)).as(type).isTrue();
    }
    assertThat(types.getFirst()).isEqualTo("response.created");
    assertThat(types.getLast()).isIn("response.completed", "response.incomplete");
  }

  /** The variants the codec emits, by type: an unknown type would parse, and validate, as none of them. */
  private static final Map<String, Predicate<ResponseStreamEvent>> VARIANTS = Map.ofEntries(
      Map.entry("response.created", ResponseStreamEvent::isCreated),
      Map.entry("response.in_progress", ResponseStreamEvent::isInProgress),
      Map.entry("response.output_item.added", ResponseStreamEvent::isOutputItemAdded),
      Map.entry("response.output_item.done", ResponseStreamEvent::isOutputItemDone),
      Map.entry("response.content_part.added", ResponseStreamEvent::isContentPartAdded),
      Map.entry("response.content_part.done", ResponseStreamEvent::isContentPartDone),
      Map.entry("response.output_text.delta", ResponseStreamEvent::isOutputTextDelta),
      Map.entry("response.output_text.done", ResponseStreamEvent::isOutputTextDone),
      Map.entry("response.refusal.delta", ResponseStreamEvent::isRefusalDelta),
      Map.entry("response.refusal.done", ResponseStreamEvent::isRefusalDone),
      Map.entry("response.reasoning_text.delta", ResponseStreamEvent::isReasoningTextDelta),
      Map.entry("response.reasoning_text.done", ResponseStreamEvent::isReasoningTextDone),
      Map.entry("response.function_call_arguments.delta", ResponseStreamEvent::isFunctionCallArgumentsDelta),
      Map.entry("response.function_call_arguments.done", ResponseStreamEvent::isFunctionCallArgumentsDone),
      Map.entry("response.completed", ResponseStreamEvent::isCompleted),
      Map.entry("response.incomplete", ResponseStreamEvent::isIncomplete));

  private static Stream<Path> files(String name) throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.map(dir -> dir.resolve(name)).filter(Files::exists).sorted().toList().stream();
    }
  }
}
