package dev.aigis.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code type: Retrieval}: retrieval-augmented generation on the exchange pipeline. The last user
 * message of the pivot (OpenAI chat form, whatever the client's API) is the query; the best chunks
 * of the knowledge base go into one system message after the request's own system messages, each
 * behind an {@code [n]} marker naming its source. Editing the pivot makes every backend, native or
 * translated, and the ext_proc server send the context upstream. The response says which chunks
 * were used ({@value RagAttributes#SOURCES_HEADER}, {@code none} when nothing scored high enough)
 * and the audit record lists them. A failed retrieval (embeddings saturated, retriever down or
 * late) fails the stage: the entry's failure mode decides.
 */
public final class RetrievalProcessor implements Processor {

  private static final ProcessorNeeds NEEDS = new ProcessorNeeds(false, BodyMode.BUFFERED, true, BodyMode.NONE, 0);

  private final Retriever retriever;
  private final int topK;
  private final double minScore;
  private final int maxContextChars;
  private final String template;
  private final RagObserver observer;

  public RetrievalProcessor(Retriever retriever, int topK, double minScore, int maxContextChars, String template,
      RagObserver observer) {
    this.retriever = retriever;
    this.topK = topK;
    this.minScore = minScore;
    this.maxContextChars = maxContextChars;
    this.template = template;
    this.observer = observer;
  }

  @Override
  public ProcessorNeeds needs() {
    return NEEDS;
  }

  /** Per exchange: the markers injected, null until the request stage chose. */
  static final class State implements ExchangeState {
    volatile List<String> sources;

    @Override
    public void close() {}
  }

  @Override
  public ExchangeState newState() {
    return new State();
  }

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    ExchangeContext context = request.context();
    if (context == null) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
    ObjectNode pivot = context.pivot().requestOrNull();
    if (pivot == null) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE); // no chat form (embeddings, files ...)
    }
    String query = dev.aigis.core.exchange.PivotTexts.lastUser(pivot);
    if (query.isBlank()) {
      return CompletableFuture.completedFuture(record(context, state, List.of(), null));
    }
    long started = System.nanoTime();
    return retriever.retrieve(query, topK, minScore, context.workers()).handle((hits, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        observer.failed(retriever.name(), reason(cause));
        return CompletableFuture.<Verdict>failedFuture(cause);
      }
      List<Retrieved> chosen = withinBudget(hits);
      observer.retrieved(retriever.name(), System.nanoTime() - started, hits.size(), chosen.size());
      return CompletableFuture.completedFuture(record(context, state, chosen, pivot));
    }).thenCompose(stage -> stage);
  }

  /** Notes the sources and, when there are chunks, injects them; edits run on the exchange's thread. */
  private Verdict record(ExchangeContext context, State state, List<Retrieved> chosen, ObjectNode pivot) {
    List<String> markers = chosen.stream().map(Retrieved::marker).toList();
    return new Verdict.EditThenContinue(() -> {
      state.sources = markers;
      RagSources.Used used = new RagSources.Used(retriever.name(), markers);
      RagSources existing = context.attributes().get(RagAttributes.SOURCES);
      context.attributes().put(RagAttributes.SOURCES, existing == null ? new RagSources(List.of(used)) : existing.plus(used));
      if (!chosen.isEmpty()) {
        inject(pivot, contextMessage(chosen));
        context.pivot().edited();
      }
    });
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState exchangeState) {
    List<String> sources = ((State) exchangeState).sources;
    if (sources != null) {
      // File names may hold spaces, commas or non-ASCII letters; a header value may not.
      response.headers().set(RagAttributes.SOURCES_HEADER, sources.isEmpty() ? "none"
          : String.join(", ", sources.stream().map(HttpRetriever::headerSafe).toList()));
    }
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  /** The best chunks whose texts fit {@code maxContextChars} together; the best one always, cut if it must be. */
  private List<Retrieved> withinBudget(List<Retrieved> hits) {
    List<Retrieved> chosen = new ArrayList<>();
    int used = 0;
    for (Retrieved hit : hits) {
      if (chosen.isEmpty() && hit.text().length() > maxContextChars) {
        chosen.add(new Retrieved(hit.marker(), hit.label(), hit.text().substring(0, maxContextChars), hit.score()));
        break;
      }
      if (used + hit.text().length() > maxContextChars) {
        break;
      }
      chosen.add(hit);
      used += hit.text().length();
    }
    return chosen;
  }

  /** The template, then {@code [n] (source: label)} and the chunk's text for each chunk. */
  String contextMessage(List<Retrieved> chosen) {
    StringBuilder text = new StringBuilder(template);
    for (int i = 0; i < chosen.size(); i++) {
      Retrieved hit = chosen.get(i);
      text.append("\n\n[").append(i + 1).append("] (source: ").append(hit.label()).append(")\n").append(hit.text());
    }
    return text.toString();
  }

  /** One system message after the leading system (and developer) messages. */
  static void inject(ObjectNode pivot, String text) {
    JsonNode messages = pivot.get("messages");
    if (!(messages instanceof ArrayNode array)) {
      return;
    }
    int at = 0;
    while (at < array.size() && List.of("system", "developer").contains(array.get(at).path("role").asText())) {
      at++;
    }
    ObjectNode message = array.objectNode().put("role", "system").put("content", text);
    array.insert(at, message);
  }

  private static String reason(Throwable cause) {
    if (cause instanceof Workers.Saturated) {
      return "saturated";
    }
    if (cause instanceof KnowledgeBaseException known && List.of("timeout", "unavailable", "invalid").contains(known.detail())) {
      return known.detail();
    }
    return "unavailable";
  }
}
