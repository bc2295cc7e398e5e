package dev.aigis.core.rag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The Retrieval processor on the pivot, with a scripted retriever (the model is tested with the index). */
class RetrievalProcessorTest {

  private static final Retrieved INSTALL = new Retrieved("guide.md#2", "guide.md § Install", "Run ./aigis run.", 0.8);
  private static final Retrieved FAQ = new Retrieved("faq.md#1", "faq.md § Ports", "It listens on 8080.", 0.6);

  /** Answers with {@code hits} (or fails) and remembers the queries. */
  private static final class Scripted implements Retriever {
    final List<String> queries = new ArrayList<>();
    final List<Retrieved> hits;
    final RuntimeException failure;

    Scripted(List<Retrieved> hits, RuntimeException failure) {
      this.hits = hits;
      this.failure = failure;
    }

    @Override
    public String name() {
      return "default/docs";
    }

    @Override
    public CompletionStage<List<Retrieved>> retrieve(String query, int topK, double minScore, Workers workers) {
      queries.add(query);
      return failure != null ? CompletableFuture.failedFuture(failure)
          : CompletableFuture.completedFuture(hits.subList(0, Math.min(topK, hits.size())));
    }
  }

  private final List<String> observed = new ArrayList<>();
  private final RagObserver observer = new RagObserver() {
    @Override
    public void retrieved(String knowledgeBase, long nanos, int found, int injected) {
      observed.add(knowledgeBase + " found=" + found + " injected=" + injected);
    }

    @Override
    public void failed(String knowledgeBase, String reason) {
      observed.add(knowledgeBase + " failed=" + reason);
    }
  };

  private RetrievalProcessor processor(Retriever retriever, int maxContextChars) {
    return new RetrievalProcessor(retriever, 3, 0.3, maxContextChars, "Use the following context to answer.", observer);
  }

  private static ProcessedRequest request(ApiEndpoint endpoint, String body) {
    return new ProcessedRequest(new ExchangeContext("req-1", endpoint, null), "POST", "/", HeaderList.of(),
        body.getBytes(StandardCharsets.UTF_8), "m");
  }

  private static Verdict run(Processor processor, ProcessedRequest request, Processor.ExchangeState state) {
    Verdict verdict = processor.onRequestBody(request, state).toCompletableFuture().join();
    if (verdict instanceof Verdict.EditThenContinue edit) {
      edit.edits().run();
    }
    return verdict;
  }

  @Test
  void anOpenAiRequestGetsOneSystemMessageAfterItsOwnWithNumberedSources() throws Exception {
    Scripted retriever = new Scripted(List.of(INSTALL, FAQ), null);
    RetrievalProcessor processor = processor(retriever, 6000);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, """
        {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
         {"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
         {"role":"user","content":"How do I start it?"}]}
        """);
    var state = processor.newState();

    run(processor, request, state);

    JsonNode messages = request.context().pivot().request().get("messages");
    assertThat(retriever.queries).containsExactly("How do I start it?");
    assertThat(messages).hasSize(5);
    assertThat(messages.get(0).get("content").asText()).isEqualTo("Be brief.");
    assertThat(messages.get(1).get("role").asText()).isEqualTo("system");
    assertThat(messages.get(1).get("content").asText()).isEqualTo("""
        Use the following context to answer.

        [1] (source: guide.md § Install)
        Run ./aigis run.

        [2] (source: faq.md § Ports)
        It listens on 8080.""");
    assertThat(messages.get(2).get("content").asText()).isEqualTo("Hi");
    assertThat(request.context().pivotEdited()).isTrue();
    assertThat(request.context().attributes().get(RagAttributes.SOURCES)).isEqualTo(
        new RagSources(List.of(new RagSources.Used("default/docs", List.of("guide.md#2", "faq.md#1")))));
    assertThat(((RetrievalProcessor.State) state).sources).containsExactly("guide.md#2", "faq.md#1");
    assertThat(observed).containsExactly("default/docs found=2 injected=2");
  }

  @Test
  void anAnthropicRequestsSystemPromptStaysFirstAndTheContextFollowsIt() throws Exception {
    Scripted retriever = new Scripted(List.of(INSTALL), null);
    RetrievalProcessor processor = processor(retriever, 6000);
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, """
        {"model":"claude-sonnet-4-5","max_tokens":100,"system":"Be brief.",
         "messages":[{"role":"user","content":[{"type":"text","text":"How do I"},{"type":"text","text":"start it?"}]}]}
        """);

    run(processor, request, processor.newState());

    JsonNode messages = request.context().pivot().editedOrNull().get("messages");
    assertThat(retriever.queries).containsExactly("How do I\nstart it?");
    assertThat(messages).extracting(m -> m.get("role").asText()).containsExactly("system", "system", "user");
    assertThat(messages.get(0).get("content").asText()).isEqualTo("Be brief.");
    assertThat(messages.get(1).get("content").asText()).startsWith("Use the following context to answer.\n\n[1] (source: guide.md § Install)");
  }

  @Test
  void nothingAboveTheScoreInjectsNothingAndRecordsNone() throws Exception {
    RetrievalProcessor processor = processor(new Scripted(List.of(), null), 6000);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Unrelated\"}]}");
    var state = processor.newState();

    run(processor, request, state);

    assertThat(request.context().pivotEdited()).isFalse();
    assertThat(request.context().pivot().request().get("messages")).hasSize(1);
    assertThat(((RetrievalProcessor.State) state).sources).isEmpty();
    assertThat(observed).containsExactly("default/docs found=0 injected=0");
  }

  @Test
  void chunksBeyondTheContextBudgetAreLeftOut() throws Exception {
    RetrievalProcessor processor = processor(new Scripted(List.of(INSTALL, FAQ), null), 100);
    Retrieved big = new Retrieved("big.md#1", "big.md", "x".repeat(150), 0.9);
    RetrievalProcessor bigFirst = processor(new Scripted(List.of(big, INSTALL), null), 100);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    ProcessedRequest second = request(ApiEndpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    var state = processor.newState();
    var bigState = bigFirst.newState();

    run(processor, request, state);
    run(bigFirst, second, bigState);

    assertThat(((RetrievalProcessor.State) state).sources).containsExactly("guide.md#2", "faq.md#1");
    assertThat(((RetrievalProcessor.State) bigState).sources).as("the best chunk, cut to the budget").containsExactly("big.md#1");
    assertThat(second.context().pivot().request().at("/messages/0/content").asText()).endsWith("\n" + "x".repeat(100));
  }

  @Test
  void aFailedRetrievalFailsTheStageAndIsCounted() {
    RetrievalProcessor processor = processor(new Scripted(null, new KnowledgeBaseException("timeout", "late")), 6000);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");

    var stage = processor.onRequestBody(request, processor.newState()).toCompletableFuture();

    assertThat(stage).isCompletedExceptionally();
    org.assertj.core.api.Assertions.assertThatThrownBy(stage::join).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(KnowledgeBaseException.class);
    assertThat(observed).containsExactly("default/docs failed=timeout");
    assertThat(request.context().pivotEdited()).isFalse();
  }

  @Test
  void aSaturatedPoolIsCountedAsSaturated() {
    RetrievalProcessor processor = processor(new Scripted(null, new Workers.Saturated("full")), 6000);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");

    assertThat(processor.onRequestBody(request, processor.newState()).toCompletableFuture()).isCompletedExceptionally();
    assertThat(observed).containsExactly("default/docs failed=saturated");
  }
}
