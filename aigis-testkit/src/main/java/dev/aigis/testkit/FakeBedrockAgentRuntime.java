package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.echo.WordOverlap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server (127.0.0.1, a free port) that answers like Bedrock Agent Runtime's Rerank API:
 * {@code POST /rerank} with one TEXT query, INLINE TEXT sources and a {@code
 * BEDROCK_RERANKING_MODEL} configuration naming a foundation-model ARN. Every request's SigV4
 * signature is verified for service {@code bedrock} ({@link SigV4Verifier}); a malformed body is a
 * 400 {@code ValidationException}, other paths 404. Each source is scored by the share of the
 * query's words it contains, so tests know the order; {@code numberOfResults} cuts the list.
 */
public final class FakeBedrockAgentRuntime implements AutoCloseable {

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private int port;

  private FakeBedrockAgentRuntime(Vertx vertx, SigV4Verifier verifier) {
    this.vertx = vertx;
    this.verifier = verifier;
  }

  /** Starts on a free 127.0.0.1 port accepting requests signed with these credentials for {@code region}. */
  public static FakeBedrockAgentRuntime start(String accessKeyId, String secretAccessKey, String sessionToken,
      String region) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    var fake = new FakeBedrockAgentRuntime(vertx,
        new SigV4Verifier(accessKeyId, secretAccessKey, sessionToken, region, "bedrock"));
    try {
      fake.port = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
          .requestHandler(request -> request.body().onSuccess(body -> fake.serve(request, body.getBytes())))
          .listen(0, "127.0.0.1")).actualPort();
      return fake;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** Every request received (refused ones included), oldest first. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private void serve(HttpServerRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
        .add(h.getValue()));
    headers.replaceAll((k, v) -> List.copyOf(v));
    requests.add(new RecordedRequest(request.method().name(), request.uri(), Collections.unmodifiableMap(headers), body));
    HttpServerResponse response = request.response();
    SigV4Verifier.Failure failure = verifier.verify(request.method().name(), request.path(), request.query(), headers, body);
    if (failure != null) {
      error(response, 403, failure.type(), failure.message());
      return;
    }
    if (request.method() != HttpMethod.POST || !"/rerank".equals(request.path())) {
      error(response, 404, "UnknownOperationException", null);
      return;
    }
    try {
      send(response, 200, rerank(BedrockEvents.JSON.readTree(body)));
    } catch (IOException | IllegalArgumentException e) {
      error(response, 400, "ValidationException", e.getMessage());
    }
  }

  private static ObjectNode rerank(JsonNode request) {
    JsonNode queries = request.path("queries");
    if (!queries.isArray() || queries.size() != 1 || !"TEXT".equals(queries.get(0).path("type").asText())) {
      throw new IllegalArgumentException("queries must hold exactly one TEXT query");
    }
    String query = queries.get(0).path("textQuery").path("text").asText();
    JsonNode configuration = request.path("rerankingConfiguration");
    JsonNode bedrock = configuration.path("bedrockRerankingConfiguration");
    if (!"BEDROCK_RERANKING_MODEL".equals(configuration.path("type").asText())
        || !bedrock.path("modelConfiguration").path("modelArn").asText().startsWith("arn:aws:bedrock:")) {
      throw new IllegalArgumentException("rerankingConfiguration must name a Bedrock reranking model ARN");
    }
    JsonNode sources = request.path("sources");
    if (!sources.isArray() || sources.isEmpty()) {
      throw new IllegalArgumentException("sources must not be empty");
    }
    List<double[]> scored = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      JsonNode source = sources.get(i);
      JsonNode document = source.path("inlineDocumentSource");
      if (!"INLINE".equals(source.path("type").asText()) || !"TEXT".equals(document.path("type").asText())
          || !document.path("textDocument").path("text").isTextual()) {
        throw new IllegalArgumentException("sources[" + i + "] must be an INLINE TEXT document");
      }
      scored.add(new double[] {i, WordOverlap.score(query, document.path("textDocument").path("text").asText())});
    }
    scored.sort(Comparator.comparingDouble((double[] s) -> s[1]).reversed());
    int limit = bedrock.path("numberOfResults").asInt(scored.size());
    ObjectNode answer = BedrockEvents.JSON.createObjectNode();
    ArrayNode results = answer.putArray("results");
    scored.stream().limit(limit).forEach(s -> results.addObject().put("index", (int) s[0]).put("relevanceScore", s[1]));
    return answer;
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    response.putHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    send(response, status, BedrockEvents.JSON.createObjectNode().put("message", message));
  }

  private static void send(HttpServerResponse response, int status, JsonNode body) {
    try {
      response.setStatusCode(status).putHeader("content-type", "application/json")
          .end(Buffer.buffer(BedrockEvents.JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("fake Bedrock Agent Runtime: " + e.getMessage(), e);
    }
  }
}
