package dev.aigis.core.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigis.core.api.ApiEndpoint;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Coverage-guided fuzzing of reading and rewriting answer text (upstream bytes, hostile as any
 * client's). The first byte picks the client endpoint, the rest is an event or a body. Corpus:
 * {@code ResponseTextFuzzTestInputs/<method>}, real events of every format.
 */
class ResponseTextFuzzTest {

  private static final List<ApiEndpoint> ENDPOINTS = List.of(ApiEndpoint.CHAT_COMPLETIONS, ApiEndpoint.COMPLETIONS,
      ApiEndpoint.ANTHROPIC_MESSAGES, ApiEndpoint.RESPONSES, ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT);
  private static final String NEW_TEXT = "x\"\\\n\u00e9\uD83D\uDC4B\uD83D";
  private static final UnaryOperator<String> UPPER = text -> text.toUpperCase(Locale.ROOT) + "!";

  /** Whatever the bytes, no exception; a rewritten event reads back as exactly what was written. */
  @FuzzTest
  void event(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ResponseText text = ResponseText.of(ENDPOINTS.get((input[0] & 0xFF) % ENDPOINTS.size()));
    byte[] raw = Arrays.copyOfRange(input, 1, input.length);
    TextEvent event = text.event(raw);

    byte[] written = event.withDeltaText(NEW_TEXT);
    if (event.kind() == EventKind.DELTA) {
      TextEvent reread = text.event(written);
      assertThat(reread.kind()).isEqualTo(EventKind.DELTA);
      assertThat(reread.deltaText()).isEqualTo(NEW_TEXT);
    } else {
      assertThat(written).isSameAs(raw);
    }
    byte[] whole = event.rewriteWholeTexts(UPPER);
    if (event.kind() == EventKind.WHOLE_TEXT) {
      assertThat(text.event(whole).wholeTexts()).isEqualTo(event.wholeTexts().stream().map(UPPER).toList());
    } else {
      assertThat(whole).isSameAs(raw);
    }
  }

  /** A rewritten body reads back as the edited texts. */
  @FuzzTest
  void body(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ResponseText text = ResponseText.of(ENDPOINTS.get((input[0] & 0xFF) % ENDPOINTS.size()));
    byte[] body = Arrays.copyOfRange(input, 1, input.length);

    List<String> texts = text.texts(body);
    byte[] rewritten = text.rewrite(body, UPPER);

    assertThat(text.texts(rewritten)).isEqualTo(texts.stream().map(UPPER).toList());
    text.events(body).forEach(event -> event.withDeltaText(NEW_TEXT));
  }
}
