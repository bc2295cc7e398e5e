package dev.aigis.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.exchange.Workers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The external retriever of a KnowledgeBase with {@code spec.retriever}: one JSON POST per query
 * (docs/semantic-parts/rag.md has the API), on the JDK's asynchronous HTTP client, so no thread waits
 * for the answer. The answer is bounded ({@link #MAX_RESPONSE_BYTES}); a late, failed, oversized or
 * malformed answer fails the retrieval with a {@link KnowledgeBaseException}. Thread-safe.
 */
public final class HttpRetriever implements Retriever {

  static final int MAX_RESPONSE_BYTES = 1024 * 1024;
  /** A source name longer than this is cut: it ends up in a response header. */
  static final int MAX_SOURCE_CHARS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final HttpClient client;
  private final URI url;
  private final Duration timeout;
  private final Map<String, String> headers;

  /**
   * @param headers sent with every call, a bearer {@code Authorization} from the Secret included
   */
  public HttpRetriever(String name, HttpClient client, URI url, Duration timeout, Map<String, String> headers) {
    this.name = name;
    this.client = client;
    this.url = url;
    this.timeout = timeout;
    this.headers = Map.copyOf(headers);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<List<Retrieved>> retrieve(String query, int topK, double minScore, Workers workers) {
    ObjectNode body = JSON.createObjectNode().put("query", query).put("topK", topK).put("knowledgeBase", name);
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("content-type", "application/json").header("accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(request::header);
    return client.sendAsync(request.build(), info -> new Bounded(MAX_RESPONSE_BYTES))
        // The client's timeout covers the response head; this one the whole answer.
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof KnowledgeBaseException known) {
              throw known;
            }
            boolean late = cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException;
            throw new KnowledgeBaseException(late ? "timeout" : "unavailable",
                "retriever of " + name + (late ? " did not answer within " + timeout.toMillis() + " ms"
                    : " unreachable: " + cause.getClass().getSimpleName()));
          }
          if (response.statusCode() / 100 != 2) {
            throw new KnowledgeBaseException("unavailable", "retriever of " + name + " answered " + response.statusCode());
          }
          return parse(response.body(), topK, minScore);
        });
  }

  /** {@code {"chunks":[{"text","source","score"}]}}: best first after filtering, at most {@code topK}. */
  List<Retrieved> parse(byte[] body, int topK, double minScore) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw invalid("is not JSON");
    }
    JsonNode chunks = root == null ? null : root.get("chunks");
    if (chunks == null || !chunks.isArray()) {
      throw invalid("has no chunks array");
    }
    List<Retrieved> found = new ArrayList<>();
    for (JsonNode chunk : chunks) {
      if (!chunk.path("text").isTextual() || !chunk.path("source").isTextual() || !chunk.path("score").isNumber()) {
        throw invalid("has a chunk without text, source and a numeric score");
      }
      double score = chunk.get("score").asDouble();
      if (score >= minScore && !chunk.get("text").asText().isBlank()) {
        String source = headerSafe(chunk.get("source").asText());
        found.add(new Retrieved(source, source, chunk.get("text").asText(), score));
      }
    }
    found.sort((a, b) -> Double.compare(b.score(), a.score()));
    return List.copyOf(found.subList(0, Math.min(topK, found.size())));
  }

  private KnowledgeBaseException invalid(String what) {
    return new KnowledgeBaseException("invalid", "retriever of " + name + ": the answer " + what);
  }

  /** Printable ASCII without commas (the header's separator), bounded. */
  static String headerSafe(String source) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < source.length() && out.length() < MAX_SOURCE_CHARS; i++) {
      char c = source.charAt(i);
      out.append(c >= 0x21 && c < 0x7f && c != ',' ? c : '_');
    }
    return out.isEmpty() ? "_" : out.toString();
  }

  /** Collects a body of at most {@code limit} bytes; a longer one fails and cancels the download. */
  private final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    Bounded(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.writeBytes(chunk);
      }
      if (bytes.size() > limit) {
        subscription.cancel();
        result.completeExceptionally(invalid("is larger than " + limit + " bytes"));
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
