package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import org.junit.jupiter.api.Test;

/** A native OpenAI stream: events pass as received, usage is read, the gateway's own usage chunk is dropped. */
class OpenAiEventDecoderTest {

  private static final String CONTENT = """
      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null}

      """;
  private static final String KEEP_ALIVE = ": keep-alive\n\n";
  private static final String FINISH = """
      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

      """;
  private static final String USAGE_ONLY = """
      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":4,"total_tokens":25,"prompt_tokens_details":{"cached_tokens":8}}}

      """;
  private static final String DONE = "data: [DONE]\n\n";
  private static final TokenUsage USAGE = new TokenUsage(21, 4, 25, 8, 0);

  private static Backends.Collected decode(OpenAiEventDecoder decoder, String... pieces) throws TranslationException {
    var out = new Backends.Collected();
    for (String piece : pieces) {
      decoder.bytes(bytes(piece), out);
    }
    decoder.end(out);
    return out;
  }

  @Test
  void theUsageChunkTheGatewayAskedForIsReadAndDropped() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, true);

    Backends.Collected out = decode(decoder, CONTENT + KEEP_ALIVE, FINISH + USAGE_ONLY.substring(0, 40),
        USAGE_ONLY.substring(40) + DONE);

    assertThat(out.emitted).containsExactly(CONTENT, KEEP_ALIVE, FINISH, DONE);
    assertThat(decoder.usage()).isEqualTo(USAGE);
  }

  @Test
  void pivotsAreParsedOnlyWhenAskedFor() throws Exception {
    Backends.Collected plain = decode(new OpenAiEventDecoder(Backends.NAME, false), CONTENT + DONE);
    assertThat(plain.pivots).containsOnlyNulls();

    var out = new Backends.Collected();
    ResponseDecoder decoder = new OpenAiEventDecoder(Backends.NAME, false).withPivots();
    decoder.bytes(bytes(CONTENT + KEEP_ALIVE + DONE), out);
    decoder.end(out);

    assertThat(out.emitted).containsExactly(CONTENT, KEEP_ALIVE, DONE);
    assertThat(out.pivots.get(0).at("/choices/0/delta/content").asText()).isEqualTo("Hi");
    assertThat(out.pivots.subList(1, 3)).as("a comment and [DONE] are no chunks").containsOnlyNulls();
  }

  @Test
  void theUsageChunkTheClientAskedForPasses() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);

    Backends.Collected out = decode(decoder, CONTENT + FINISH + USAGE_ONLY + DONE);

    assertThat(out.emitted).containsExactly(CONTENT, FINISH, USAGE_ONLY, DONE);
    assertThat(decoder.usage()).isEqualTo(USAGE);
  }

  @Test
  void aChunkWithChoicesAndUsageIsNeverDropped() throws Exception {
    // Some OpenAI-compatible servers put usage on the last content chunk: it is content, not the gateway's.
    String withUsage = """
        data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":2,"completion_tokens":1}}

        """;
    var decoder = new OpenAiEventDecoder(Backends.NAME, true);

    Backends.Collected out = decode(decoder, withUsage + DONE);

    assertThat(out.emitted).containsExactly(withUsage, DONE);
    assertThat(decoder.usage()).isEqualTo(new TokenUsage(2, 1, 3, 0, 0));
  }

  @Test
  void aMalformedChunkBreaksTheStreamAfterWhatCameBeforeIt() {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();

    assertThatThrownBy(() -> decoder.bytes(bytes(CONTENT + "data: {\"choices\": [\n\n" + FINISH), out))
        .isInstanceOfSatisfying(TranslationException.class, e -> {
          assertThat(e.error()).isEqualTo(new GatewayError.UpstreamProtocolError(Backends.NAME, "malformed stream chunk"));
          assertThat(e.error().status()).isEqualTo(502);
        });
    assertThat(out.emitted).containsExactly(CONTENT);
  }

  @Test
  void aStreamThatEndsWithoutDoneIsBroken() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    decoder.bytes(bytes(CONTENT + FINISH), out);

    assertThatThrownBy(() -> decoder.end(out)).isInstanceOfSatisfying(TranslationException.class, e ->
        assertThat(e.error()).isEqualTo(new GatewayError.UpstreamProtocolError(Backends.NAME, "stream ended before [DONE]")));
    assertThat(out.emitted).containsExactly(CONTENT, FINISH);
  }

  @Test
  void doneWithoutItsBlankLineIsNotTheEnd() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    decoder.bytes(bytes(CONTENT + "data: [DONE]\n"), out);

    assertThatThrownBy(() -> decoder.end(out)).isInstanceOf(TranslationException.class);
  }
}
