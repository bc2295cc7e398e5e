package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Response processors read every answer in pivot form, native ones included: each event of a
 * native OpenAI or Anthropic stream carries the OpenAI chunk it amounts to, and a whole native
 * answer handed to a buffering processor carries the OpenAI completion it amounts to. The bytes
 * the client gets are unchanged.
 */
class ResponsePivotsTest {

  private static final String OPENAI_CHAT = "{\"model\":\"gpt-4o-mini\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ANTHROPIC_MESSAGE = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":64,\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** What the watcher saw: one entry per chunk, the pivot or null. */
  private final List<ObjectNode> pivots = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private FakeOpenAiUpstream openAi;
  private FakeAnthropicUpstream anthropic;
  private FrontDoorFixture gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (openAi != null) {
      openAi.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  @Test
  void eachEventOfANativeOpenAiStreamCarriesItsChunkAsThePivot() throws Exception {
    openAi = FakeOpenAiUpstream.start();
    openAi.enqueue(Behavior.ok().withReply("one two three"));
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", openAi.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity(),
        watching(BodyMode.STREAMED));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", OPENAI_CHAT.formatted(true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(deltaText()).isEqualTo("one two three");
    assertThat(pivots).allSatisfy(p -> {
      if (p != null) {
        assertThat(p.path("object").asText()).isEqualTo("chat.completion.chunk");
      }
    });
    assertThat(pivots.get(indexOfEvent("data: [DONE]"))).as("[DONE] has no pivot").isNull();
  }

  @Test
  void eachEventOfANativeAnthropicStreamCarriesTheOpenAiChunkItTranslatesTo() throws Exception {
    anthropic = FakeAnthropicUpstream.start("sk-anthropic");
    anthropic.script(FakeAnthropicUpstream.Reply.text("Bonjour tout le monde").withUsage(9, 4));
    gateway = new FrontDoorFixture(gateway() + backend("anthropic", "Anthropic", anthropic.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: anthropic}]"), UnaryOperator.identity(),
        watching(BodyMode.STREAMED));

    HttpResponse<String> response = gateway.post("/v1/messages", ANTHROPIC_MESSAGE.formatted(true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("event: message_stop");
    assertThat(deltaText()).isEqualTo("Bonjour tout le monde");
    int delta = indexOfEvent("event: content_block_delta");
    assertThat(pivots.get(delta).at("/choices/0/delta/content").asText()).isNotEmpty();
    assertThat(pivots.get(indexOfEvent("event: message_delta")).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void aWholeNativeOpenAiAnswerCarriesItselfAsThePivot() throws Exception {
    openAi = FakeOpenAiUpstream.start();
    openAi.enqueue(Behavior.ok().withReply("whole answer"));
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", openAi.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity(),
        watching(BodyMode.BUFFERED));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", OPENAI_CHAT.formatted(false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(pivots).hasSize(1);
    assertThat(pivots.getFirst().at("/choices/0/message/content").asText()).isEqualTo("whole answer");
  }

  @Test
  void aWholeNativeAnthropicAnswerCarriesTheOpenAiCompletionItTranslatesTo() throws Exception {
    anthropic = FakeAnthropicUpstream.start("sk-anthropic");
    anthropic.script(FakeAnthropicUpstream.Reply.text("réponse entière").withUsage(9, 4));
    gateway = new FrontDoorFixture(gateway() + backend("anthropic", "Anthropic", anthropic.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: anthropic}]"), UnaryOperator.identity(),
        watching(BodyMode.BUFFERED));

    HttpResponse<String> response = gateway.post("/v1/messages", ANTHROPIC_MESSAGE.formatted(false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"type\":\"message\"");
    assertThat(pivots).hasSize(1);
    ObjectNode pivot = pivots.getFirst();
    assertThat(pivot.path("object").asText()).isEqualTo("chat.completion");
    assertThat(pivot.at("/choices/0/message/content").asText()).isEqualTo("réponse entière");
    assertThat(pivot.at("/usage/prompt_tokens").asInt()).isEqualTo(9);
  }

  private String deltaText() {
    var text = new StringBuilder();
    pivots.forEach(p -> {
      if (p != null) {
        text.append(p.at("/choices/0/delta/content").asText(""));
      }
    });
    return text.toString();
  }

  private int indexOfEvent(String prefix) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no event starting with " + prefix + " in " + events);
  }

  /** A gateway PostRouting chain of one processor that records each response chunk and passes it on. */
  private CompiledProcessing watching(BodyMode responseBody) {
    Processor watcher = new Processor() {
      @Override
      public ProcessorNeeds needs() {
        return new ProcessorNeeds(false, BodyMode.NONE, false, responseBody, 0);
      }

      @Override
      public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
          ResponseChunk chunk, ExchangeState state) {
        if (chunk.bytes().length > 0) {
          pivots.add(chunk.pivot());
          events.add(new String(chunk.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
      }
    };
    var chain = new ProcessingChain("default/watch", List.of(new ConfiguredProcessor("watcher", null, null, watcher)));
    return new CompiledProcessing(Map.of("default/watch", chain), Map.of(), Map.of("default/gw", chain), Map.of());
  }
}
