package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on {@code 127.0.0.1} that answers like an Azure OpenAI resource, for tests of
 * the Azure backend translator and of the gateway in front of it.
 *
 * <p>Serves {@code POST /openai/deployments/{deployment}/chat/completions?api-version=...}, plain
 * or streamed ({@code "stream": true}): a stream starts with Azure's chunk of empty {@code choices}
 * holding {@code prompt_filter_results}, carries {@code content_filter_results} on every choice,
 * and ends with a usage chunk only when {@code stream_options.include_usage} is true, then {@code
 * [DONE]}. The reply's model is the deployment's model, whatever the body says.
 *
 * <p>Refuses, with Azure's error bodies (checked in this order): any other path → 404 {@link
 * #RESOURCE_NOT_FOUND}; no {@code api-version} → the same 404; an {@code Authorization} header →
 * 401 {@link #AUTHORIZATION_REJECTED}; a missing or wrong {@code api-key} → 401 {@link
 * #ACCESS_DENIED}; an unknown deployment → 404 {@link #DEPLOYMENT_NOT_FOUND}; a body that is not
 * a JSON object with {@code messages} → 400.
 *
 * <p>Scripting: each valid request takes the head of the {@link #enqueue} queue, or the {@link
 * #setDefault default}. Every request is recorded, refused ones included. Thread-safe.
 */
public final class FakeAzureOpenAiUpstream implements AutoCloseable {

  /** First: the error bodies below are built with it. */
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String RESOURCE_NOT_FOUND = "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}";
  public static final String ACCESS_DENIED = errorBody("401", "Access denied due to invalid "
      + "subscription key or wrong API endpoint. Make sure to provide a valid key for an active "
      + "subscription and use a correct regional API endpoint for your resource.");
  public static final String AUTHORIZATION_REJECTED = errorBody("401", "Access denied: the request "
      + "carried an Authorization header; this resource takes its key in the api-key header.");
  public static final String DEPLOYMENT_NOT_FOUND = errorBody("DeploymentNotFound", "The API "
      + "deployment for this resource does not exist. If you created the deployment within the "
      + "last 5 minutes, please wait a moment and try again.");

  private static final Pattern PATH = Pattern.compile("/openai/deployments/([^/]+)/(chat/completions|embeddings)");
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final String apiKey;
  private final Map<String, String> deployments;
  private final ConcurrentLinkedQueue<AzureReply> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile AzureReply defaultReply = AzureReply.text("Hello from the fake Azure OpenAI.");
  private int port;

  private FakeAzureOpenAiUpstream(Vertx vertx, String apiKey, Map<String, String> deployments) {
    this.vertx = vertx;
    this.apiKey = apiKey;
    this.deployments = Map.copyOf(deployments);
  }

  /**
   * Starts on a free port and blocks until listening.
   *
   * @param apiKey the one key accepted in {@code api-key}
   * @param deployments deployment name → the model name its answers report
   */
  public static FakeAzureOpenAiUpstream start(String apiKey, Map<String, String> deployments) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    try {
      var upstream = new FakeAzureOpenAiUpstream(vertx, apiKey, deployments);
      upstream.port = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
          .requestHandler(upstream::handle).listen(0, "127.0.0.1")).actualPort();
      return upstream;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, the resource's endpoint, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public void enqueue(AzureReply reply) {
    queue.add(reply);
  }

  public void setDefault(AzureReply reply) {
    defaultReply = reply;
  }

  /** Requests so far, oldest first, refused ones included. */
  public List<RecordedRequest> requests() {
    return List.copyOf(new ArrayList<>(requests));
  }

  public RecordedRequest lastRequest() {
    RecordedRequest last = null;
    for (RecordedRequest r : requests) {
      last = r;
    }
    return last;
  }

  /** Forgets requests and queued replies; the default reply is kept. */
  public void reset() {
    queue.clear();
    requests.clear();
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  static String errorBody(String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return body.toString();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      request.headers().forEach(h ->
          headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue()));
      requests.add(new RecordedRequest(request.method().name(), request.uri(), headers, body.getBytes()));
      answer(request, body);
    });
  }

  private void answer(HttpServerRequest request, Buffer body) {
    HttpServerResponse response = request.response();
    Matcher path = PATH.matcher(request.path());
    String version = request.getParam("api-version");
    if (!"POST".equals(request.method().name()) || !path.matches() || version == null || version.isBlank()) {
      send(response, 404, RESOURCE_NOT_FOUND);
      return;
    }
    if (request.getHeader("authorization") != null) {
      send(response, 401, AUTHORIZATION_REJECTED);
      return;
    }
    if (!apiKey.equals(request.getHeader("api-key"))) {
      send(response, 401, ACCESS_DENIED);
      return;
    }
    String model = deployments.get(URLDecoder.decode(path.group(1).replace("+", "%2B"), StandardCharsets.UTF_8));
    if (model == null) {
      send(response, 404, DEPLOYMENT_NOT_FOUND);
      return;
    }
    JsonNode json;
    try {
      json = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      send(response, 400, errorBody("BadRequest", "The request body is not a JSON object."));
      return;
    }
    if (path.group(2).equals("embeddings")) {
      embeddings(response, json, model);
      return;
    }
    if (!json.path("messages").isArray()) {
      send(response, 400, "{\"error\":{\"message\":\"'messages' is a required property\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
      return;
    }
    AzureReply queued = queue.poll();
    AzureReply reply = queued != null ? queued : defaultReply;
    if (reply.status() != 0) {
      send(response, reply.status(), reply.errorBody());
      return;
    }
    var answer = new Answer(reply, model, "chatcmpl-fake" + ids.incrementAndGet(), promptTokens(reply, json));
    if (json.path("stream").asBoolean(false)) {
      boolean usage = json.path("stream_options").path("include_usage").asBoolean(false);
      response.setStatusCode(200).putHeader("content-type", "text/event-stream");
      response.end(answer.sse(usage));
    } else {
      response.setStatusCode(200).putHeader("content-type", "application/json");
      response.end(answer.completion().toString());
    }
  }

  /** Azure's embeddings answer (OpenAI's shape): {@link FakeEmbeddings} vectors, float or base64. */
  private static void embeddings(HttpServerResponse response, JsonNode json, String model) {
    JsonNode input = json.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
    } else if (input.isArray()) {
      input.forEach(item -> texts.add(item.asText()));
    }
    if (texts.isEmpty() || json.has("model")) {
      send(response, 400, "{\"error\":{\"message\":\"" + (texts.isEmpty() ? "'input' is a required property"
          : "the deployment selects the model; 'model' is not expected") + "\",\"type\":\"invalid_request_error\","
          + "\"param\":null,\"code\":null}}");
      return;
    }
    boolean base64 = "base64".equals(json.path("encoding_format").asText());
    ObjectNode out = JSON.createObjectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        var bytes = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        FakeEmbeddings.vector(texts.get(i)).forEach(bytes::putFloat);
        item.put("embedding", java.util.Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        item.set("embedding", FakeEmbeddings.values(texts.get(i)));
      }
      tokens += FakeEmbeddings.tokens(texts.get(i));
    }
    out.put("model", model);
    out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    response.setStatusCode(200).putHeader("content-type", "application/json").end(out.toString());
  }

  private static int promptTokens(AzureReply reply, JsonNode request) {
    if (reply.promptTokens() >= 0) {
      return reply.promptTokens();
    }
    int words = 0;
    for (JsonNode message : request.path("messages")) {
      String content = message.path("content").asText("");
      words += content.isBlank() ? 0 : content.trim().split("\\s+").length;
    }
    return words;
  }

  private static void send(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(LIFECYCLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("fake Azure upstream: " + e.getMessage(), e);
    }
  }

  /** One answer's JSON, plain or as chunks. */
  private record Answer(AzureReply reply, String model, String id, int promptTokens) {

    static final long CREATED = 1735689600L;

    ObjectNode completion() {
      ObjectNode c = head("chat.completion");
      ObjectNode choice = c.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      if (reply.text() != null) {
        message.put("content", reply.text());
      } else {
        message.putNull("content");
      }
      message.putNull("refusal");
      if (!reply.toolCalls().isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        for (AzureReply.ToolCall call : reply.toolCalls()) {
          ObjectNode t = calls.addObject().put("id", call.id()).put("type", "function");
          t.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", reply.finish());
      choice.set("content_filter_results", filterResults(isFiltered()));
      c.set("usage", usage());
      c.set("prompt_filter_results", promptFilterResults());
      return c;
    }

    String sse(boolean includeUsage) {
      var out = new StringBuilder();
      ObjectNode lead = JSON.createObjectNode();
      lead.putArray("choices");
      lead.put("created", 0).put("id", "").put("model", "").put("object", "");
      lead.set("prompt_filter_results", promptFilterResults());
      event(out, lead);
      ObjectNode role = JSON.createObjectNode().put("role", "assistant").put("content", "");
      event(out, chunk(role, null, JSON.createObjectNode()));
      for (String piece : reply.pieces()) {
        event(out, chunk(JSON.createObjectNode().put("content", piece), null, filterResults(false)));
      }
      for (int i = 0; i < reply.toolCalls().size(); i++) {
        AzureReply.ToolCall call = reply.toolCalls().get(i);
        ObjectNode start = JSON.createObjectNode();
        ObjectNode t = start.putArray("tool_calls").addObject().put("index", i).put("id", call.id()).put("type", "function");
        t.putObject("function").put("name", call.name()).put("arguments", "");
        event(out, chunk(start, null, JSON.createObjectNode()));
        ObjectNode args = JSON.createObjectNode();
        args.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", call.arguments());
        event(out, chunk(args, null, JSON.createObjectNode()));
      }
      event(out, chunk(JSON.createObjectNode(), reply.finish(), filterResults(isFiltered())));
      if (includeUsage) {
        ObjectNode usage = head("chat.completion.chunk");
        usage.putArray("choices");
        usage.set("usage", usage());
        event(out, usage);
      }
      return out.append("data: [DONE]\n\n").toString();
    }

    private boolean isFiltered() {
      return "content_filter".equals(reply.finish());
    }

    private ObjectNode head(String object) {
      return JSON.createObjectNode().put("id", id).put("object", object).put("created", CREATED)
          .put("model", model).put("system_fingerprint", "fp_fake_azure");
    }

    private ObjectNode chunk(ObjectNode delta, String finish, ObjectNode filter) {
      ObjectNode c = head("chat.completion.chunk");
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      if (finish == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finish);
      }
      choice.set("content_filter_results", filter);
      return c;
    }

    private ObjectNode usage() {
      int completion = reply.completionTokens() >= 0 ? reply.completionTokens()
          : reply.pieces().size() + reply.toolCalls().size();
      return JSON.createObjectNode().put("prompt_tokens", promptTokens)
          .put("completion_tokens", completion).put("total_tokens", promptTokens + completion);
    }

    private static ArrayNode promptFilterResults() {
      ArrayNode results = JSON.createArrayNode();
      ObjectNode result = results.addObject().put("prompt_index", 0);
      ObjectNode filter = filterResults(false);
      filter.putObject("jailbreak").put("filtered", false).put("detected", false);
      result.set("content_filter_results", filter);
      return results;
    }

    /** Azure's four categories; a filtered answer is flagged for violence. */
    private static ObjectNode filterResults(boolean violence) {
      ObjectNode f = JSON.createObjectNode();
      for (String category : List.of("hate", "self_harm", "sexual", "violence")) {
        boolean hit = violence && category.equals("violence");
        f.putObject(category).put("filtered", hit).put("severity", hit ? "high" : "safe");
      }
      return f;
    }

    private static void event(StringBuilder out, ObjectNode chunk) {
      out.append("data: ").append(chunk).append("\n\n");
    }
  }
}
