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
  void aMalformedChunkAndEverythingAfterItPassOnAsReceivedAndAreRecorded() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    String malformed = "data: {\"choices\": [\n\n";

    decoder.bytes(bytes(CONTENT + malformed + FINISH), out);
    decoder.bytes(bytes("not an event at all"), out);
    decoder.end(out);

    assertThat(String.join("", out.emitted)).isEqualTo(CONTENT + malformed + FINISH + "not an event at all");
    assertThat(decoder.violation()).isEqualTo("malformed stream chunk");
  }

  @Test
  void anEventPastTheLimitPassesOnWithTheRestOfTheStream() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    String huge = "data: " + "x".repeat(OpenAiEventDecoder.MAX_EVENT_BYTES) + "\n\n";

    decoder.bytes(bytes(CONTENT), out);
    decoder.bytes(bytes(huge.substring(0, 1000)), out);
    decoder.bytes(bytes(huge.substring(1000) + DONE), out);
    decoder.end(out);

    assertThat(String.join("", out.emitted)).isEqualTo(CONTENT + huge + DONE);
    assertThat(decoder.violation()).isEqualTo("SSE event larger than " + OpenAiEventDecoder.MAX_EVENT_BYTES + " bytes");
  }

  @Test
  void aStreamThatEndsWithoutDoneEndsAsItCameAndIsRecorded() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    decoder.bytes(bytes(CONTENT + FINISH + "data: {\"cut"), out);

    decoder.end(out);

    assertThat(out.emitted).containsExactly(CONTENT, FINISH, "data: {\"cut");
    assertThat(decoder.violation()).isEqualTo("stream ended mid-event");
  }

  @Test
  void aWellFormedStreamHasNoViolation() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    decoder.bytes(bytes(CONTENT + FINISH + DONE), out);
    decoder.end(out);
    assertThat(decoder.violation()).isNull();
    decoder = new OpenAiEventDecoder(Backends.NAME, false);
    decoder.bytes(bytes(CONTENT + FINISH), out);
    decoder.end(out);
    assertThat(decoder.violation()).isEqualTo("stream ended before [DONE]");
  }

  @Test
  void doneWithoutItsBlankLineIsNotTheEnd() throws Exception {
    var decoder = new OpenAiEventDecoder(Backends.NAME, false);
    var out = new Backends.Collected();
    decoder.bytes(bytes(CONTENT + "data: [DONE]\n"), out);

    decoder.end(out);

    assertThat(out.joined()).isEqualTo(CONTENT + "data: [DONE]\n");
    assertThat(decoder.violation()).isEqualTo("stream ended mid-event");
  }
}
