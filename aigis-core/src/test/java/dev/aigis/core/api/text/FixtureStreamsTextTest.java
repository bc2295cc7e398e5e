package dev.aigis.core.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden stream in the client's or the upstream's format, read and rewritten event by event
 * as a guard would: rewriting every delta and every whole text with one function yields a stream
 * whose text is that function of the old text, whose other events are the same bytes, and that
 * still decodes into the same events.
 */
class FixtureStreamsTextTest {

  private static final UnaryOperator<String> UPPER = text -> text.toUpperCase(Locale.ROOT);

  /** The answers some streams spell out, to know the reading is right and not only consistent. */
  private static final Map<String, String> TEXTS = Map.of(
      "anthropic-inbound/stream-text/response.out.sse", "Hi th\u00e9re \u2713!\n",
      "openai-responses-inbound/stream-text/response.out.sse", "Hi th\u00e9re \u2713",
      "openai-responses-inbound/stream-refusal/response.out.sse", "Sorry: I can't help with that.",
      "gemini/chat/stream-text/response.in.sse", "Hello, w\u00f6rld \u2713",
      "gemini-inbound/stream-reasoning/response.out.sse", "Done.",
      "openai/chat/stream-usage/response.in.sse", "Hello, Zo\u00eb!");

  static Stream<Arguments> streams() throws Exception {
    Path root = Path.of(Objects.requireNonNull(FixtureStreamsTextTest.class.getResource("/fixtures")).toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(".sse"))
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .sorted()
          .map(name -> Arguments.of(name, endpoint(name)))
          .toList().stream();
    }
  }

  /**
   * {@code *-inbound} folders hold the client's format in {@code out} and the OpenAI pivot in
   * {@code in}; provider folders hold the provider's format in {@code in} and the OpenAI client's
   * in {@code out} (Anthropic's through the clouds, which stay Anthropic).
   */
  private static ApiEndpoint endpoint(String name) {
    String folder = name.substring(0, name.indexOf('/'));
    boolean out = name.endsWith("response.out.sse");
    if (folder.endsWith("-inbound")) {
      return !out ? ApiEndpoint.CHAT_COMPLETIONS : switch (folder) {
        case "anthropic-inbound" -> ApiEndpoint.ANTHROPIC_MESSAGES;
        case "gemini-inbound" -> ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT;
        case "openai-responses-inbound" -> ApiEndpoint.RESPONSES;
        default -> throw new IllegalArgumentException(name);
      };
    }
    if (folder.equals("claude-clouds") || name.startsWith("anthropic/messages-native/")) {
      return ApiEndpoint.ANTHROPIC_MESSAGES;
    }
    if (out) {
      return name.startsWith("anthropic/completions/") ? ApiEndpoint.COMPLETIONS : ApiEndpoint.CHAT_COMPLETIONS;
    }
    return switch (folder) {
      case "anthropic", "claude-vertex" -> ApiEndpoint.ANTHROPIC_MESSAGES;
      case "gemini" -> ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT;
      case "openai-responses" -> ApiEndpoint.RESPONSES;
      case "openai", "azure" -> ApiEndpoint.CHAT_COMPLETIONS;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Test
  void theStreamsWhoseTextIsSpelledOutExist() throws Exception {
    assertThat(streams().map(arguments -> (String) arguments.get()[0]).toList()).containsAll(TEXTS.keySet());
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("streams")
  void rewritingEveryTextOfAStreamChangesItsTextAndNothingElse(String name, ApiEndpoint endpoint) throws Exception {
    ResponseText text = ResponseText.of(endpoint);
    List<SseEvent> events = decode(Files.readAllBytes(Path.of(
        Objects.requireNonNull(getClass().getResource("/fixtures/" + name)).toURI())));
    var rewritten = new ByteArrayOutputStream();
    var answer = new StringBuilder();
    for (SseEvent event : events) {
      byte[] raw = event.raw();
      String delta = text.deltaText(raw);
      if (delta != null) {
        answer.append(delta);
        assertThat(text.withDeltaText(raw, delta)).as("writing back what was read").isSameAs(raw);
      }
      assertThat(text.rewriteWholeTexts(raw, UnaryOperator.identity())).isSameAs(raw);
      byte[] out = switch (text.kind(raw)) {
        case DELTA -> text.withDeltaText(raw, delta == null ? "" : UPPER.apply(delta));
        case WHOLE_TEXT -> text.rewriteWholeTexts(raw, UPPER);
        case NONE, UNREADABLE -> {
          assertThat(text.withDeltaText(raw, "x")).isSameAs(raw);
          yield raw;
        }
      };
      rewritten.write(out);
    }
    if (TEXTS.containsKey(name)) {
      assertThat(answer.toString()).isEqualTo(TEXTS.get(name));
    }

    List<SseEvent> after = decode(rewritten.toByteArray());
    assertThat(after).hasSameSizeAs(events);
    for (int i = 0; i < events.size(); i++) {
      byte[] before = events.get(i).raw();
      byte[] now = after.get(i).raw();
      assertThat(after.get(i).event()).isEqualTo(events.get(i).event());
      assertThat(text.kind(now)).isEqualTo(text.kind(before));
      switch (text.kind(before)) {
        case DELTA -> assertThat(text.deltaText(now)).isEqualTo(upper(text.deltaText(before)));
        case WHOLE_TEXT -> assertThat(text.event(now).wholeTexts()).isEqualTo(text.event(before).wholeTexts().stream().map(UPPER).toList());
        case NONE, UNREADABLE -> assertThat(now).isEqualTo(before);
      }
    }
  }

  private static String upper(String text) {
    return text == null ? null : UPPER.apply(text);
  }

  private static List<SseEvent> decode(byte[] stream) {
    List<SseEvent> events = new ArrayList<>();
    var decoder = new SseDecoder(events::add, 1 << 20);
    decoder.feed(stream);
    if (decoder.pendingBytes() > 0) {
      byte[] tail = decoder.takePending();
      events.add(new SseEvent(null, null, null, tail)); // a cut stream's last bytes, as a guard would see them
    }
    return events;
  }
}
