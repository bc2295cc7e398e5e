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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on {@code 127.0.0.1} that answers like OpenAI's Responses API, for tests of
 * native Responses passthrough and of the translator to Responses-only servers.
 *
 * <p>Serves {@code POST /v1/responses}, plain or streamed ({@code "stream": true}: the typed
 * events {@code response.created}, {@code response.in_progress}, per item
 * {@code response.output_item.added}, deltas, {@code .done} events, then
 * {@code response.completed} or {@code response.incomplete} with the whole response and usage),
 * and {@code POST /v1/responses/input_tokens} ({@link #INPUT_TOKENS} tokens whatever the input).
 *
 * <p>Refuses as OpenAI does (in this order): another path → 404; a missing or wrong
 * {@code Authorization: Bearer} key → 401; a body that is not a JSON object, or without
 * {@code model} → 400; chat's {@code messages} → 400 (the request was not translated); on
 * {@code /v1/responses} an {@code input} that is neither a string nor a list → 400; a tool
 * without a top-level {@code name} (chat's nested {@code function} shape) → 400; a
 * {@code function_call_output} whose {@code call_id} answers no earlier {@code function_call}
 * of the same input → 400.
 *
 * <p>Scripting: each valid request takes the head of the {@link #script} queue, or the default
 * reply. Every request is recorded, refused ones included. Thread-safe.
 */
public final class FakeOpenAiResponsesUpstream implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(30);

  /** What {@code /v1/responses/input_tokens} answers. */
  public static final int INPUT_TOKENS = 42;

  public record FunctionCall(String callId, String name, String arguments) {}

  /**
   * One scripted answer.
   *
   * @param reasoning a reasoning summary sent before the message, or null
   * @param incompleteReason {@code max_output_tokens}/{@code content_filter} for an incomplete answer, or null
   * @param status non-zero: an HTTP error with {@code message} in OpenAI's error object
   * @param failInStream streamed: a {@code response.failed} event after the first delta instead of the end
   */
  public record Reply(String text, String reasoning, List<FunctionCall> calls, int inputTokens, int outputTokens,
      int cachedTokens, String incompleteReason, int status, String message, boolean failInStream) {

    public Reply {
      calls = List.copyOf(calls);
    }

    public static Reply text(String text) {
      return new Reply(text, null, List.of(), 10, 5, 0, null, 0, null, false);
    }

    public static Reply httpError(int status, String message) {
      return new Reply("", null, List.of(), 0, 0, 0, null, status, message, false);
    }

    public Reply withReasoning(String summary) {
      return new Reply(text, summary, calls, inputTokens, outputTokens, cachedTokens, incompleteReason, status, message,
          failInStream);
    }

    public Reply withCall(String callId, String name, String arguments) {
      List<FunctionCall> more = new ArrayList<>(calls);
      more.add(new FunctionCall(callId, name, arguments));
      return new Reply(text, reasoning, more, inputTokens, outputTokens, cachedTokens, incompleteReason, status,
          message, failInStream);
    }

    public Reply withUsage(int input, int output, int cached) {
      return new Reply(text, reasoning, calls, input, output, cached, incompleteReason, status, message, failInStream);
    }

    public Reply withIncomplete(String reason) {
      return new Reply(text, reasoning, calls, inputTokens, outputTokens, cachedTokens, reason, status, message,
          failInStream);
    }

    public Reply withFailureInStream(String failure) {
      return new Reply(text, reasoning, calls, inputTokens, outputTokens, cachedTokens, incompleteReason, status,
          failure, true);
    }
  }

  private final Vertx vertx;
  private final String apiKey;
  private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile Reply defaultReply = Reply.text("Hello from the fake Responses API.");
  private int port;

  private FakeOpenAiResponsesUpstream(Vertx vertx, String apiKey) {
    this.vertx = vertx;
    this.apiKey = apiKey;
  }

  /** Starts on a free port and blocks until listening; {@code apiKey} is the one bearer key accepted. */
  public static FakeOpenAiResponsesUpstream start(String apiKey) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    try {
      var upstream = new FakeOpenAiResponsesUpstream(vertx, apiKey);
      upstream.port = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
          .requestHandler(upstream::handle).listen(0, "127.0.0.1")).actualPort();
      return upstream;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public void script(Reply reply) {
    queue.add(reply);
  }

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

  /** Forgets requests and scripted replies. */
  public void reset() {
    queue.clear();
    requests.clear();
  }

  @Override
  public void close() {
    await(vertx.close());
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
    String path = request.path();
    boolean count = path.equals("/v1/responses/input_tokens");
    if (!"POST".equals(request.method().name()) || !(count || path.equals("/v1/responses"))) {
      send(response, 404, error("Invalid URL (" + request.method() + " " + path + ")", "invalid_request_error", null));
      return;
    }
    if (!("Bearer " + apiKey).equals(request.getHeader("authorization"))) {
      send(response, 401, error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
      return;
    }
    JsonNode json;
    try {
      json = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      json = null;
    }
    String refusal = refusal(json, count);
    if (refusal != null) {
      send(response, 400, error(refusal, "invalid_request_error", null));
      return;
    }
    if (count) {
      send(response, 200, JSON.createObjectNode().put("object", "response.input_tokens").put("input_tokens", INPUT_TOKENS)
          .toString());
      return;
    }
    Reply queued = queue.poll();
    Reply reply = queued != null ? queued : defaultReply;
    if (reply.status() != 0) {
      send(response, reply.status(), error(reply.message(), "invalid_request_error", null));
      return;
    }
    String id = "resp_fake" + ids.incrementAndGet();
    String model = json.path("model").asText();
    if (json.path("stream").asBoolean(false)) {
      stream(response, reply, id, model);
    } else {
      send(response, 200, finished(reply, id, model).toString());
    }
  }

  /** Why OpenAI would refuse this body, or null. */
  private static String refusal(JsonNode json, boolean count) {
    if (json == null || !json.isObject()) {
      return "We could not parse the JSON body of your request.";
    }
    if (!json.path("model").isTextual()) {
      return "Missing required parameter: 'model'.";
    }
    if (json.has("messages")) {
      return "Unsupported parameter: 'messages'. In the Responses API, this parameter has moved to 'input'.";
    }
    JsonNode input = json.get("input");
    if (!count && (input == null || !(input.isTextual() || input.isArray()))) {
      return "Missing required parameter: 'input'.";
    }
    JsonNode tools = json.path("tools");
    for (int i = 0; i < tools.size(); i++) {
      if ("function".equals(tools.get(i).path("type").asText()) && !tools.get(i).path("name").isTextual()) {
        return "Missing required parameter: 'tools[" + i + "].name'.";
      }
    }
    Set<String> calls = new HashSet<>();
    for (JsonNode item : input == null ? JSON.createArrayNode() : input) {
      String type = item.path("type").asText();
      if (type.equals("function_call")) {
        calls.add(item.path("call_id").asText());
      } else if (type.equals("function_call_output") && !calls.contains(item.path("call_id").asText())) {
        return "No tool call found for function call output with call_id " + item.path("call_id").asText() + ".";
      }
    }
    return null;
  }

  private static ObjectNode response(String id, String model, String status) {
    ObjectNode response = JSON.createObjectNode().put("id", id).put("object", "response").put("created_at", 1741476542)
        .put("status", status);
    response.putNull("error");
    response.putNull("incomplete_details");
    response.putNull("instructions");
    response.putNull("max_output_tokens");
    response.put("model", model);
    response.putArray("output");
    response.put("parallel_tool_calls", true);
    response.putNull("previous_response_id");
    response.putObject("reasoning").putNull("effort").putNull("summary");
    response.put("store", false);
    response.put("temperature", 1.0);
    response.putObject("text").putObject("format").put("type", "text");
    response.put("tool_choice", "auto");
    response.putArray("tools");
    response.put("top_p", 1.0);
    response.put("truncation", "disabled");
    response.putNull("usage");
    response.putNull("user");
    response.putObject("metadata");
    return response;
  }

  /** The whole answer: reasoning, message and function-call items, status and usage. */
  private static ObjectNode finished(Reply reply, String id, String model) {
    ObjectNode response = response(id, model, reply.incompleteReason() == null ? "completed" : "incomplete");
    if (reply.incompleteReason() != null) {
      response.putObject("incomplete_details").put("reason", reply.incompleteReason());
    }
    ArrayNode output = (ArrayNode) response.get("output");
    if (reply.reasoning() != null) {
      output.add(reasoningItem(reply.reasoning()));
    }
    if (!reply.text().isEmpty()) {
      output.add(messageItem(reply.text(), "completed"));
    }
    for (FunctionCall call : reply.calls()) {
      output.add(callItem(call, call.arguments(), "completed"));
    }
    ObjectNode usage = response.putObject("usage").put("input_tokens", reply.inputTokens());
    usage.putObject("input_tokens_details").put("cached_tokens", reply.cachedTokens());
    usage.put("output_tokens", reply.outputTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", reply.inputTokens() + reply.outputTokens());
    return response;
  }

  private static ObjectNode reasoningItem(String summary) {
    ObjectNode item = JSON.createObjectNode().put("id", "rs_fake").put("type", "reasoning");
    item.putArray("summary").addObject().put("type", "summary_text").put("text", summary);
    return item;
  }

  private static ObjectNode messageItem(String text, String status) {
    ObjectNode item = JSON.createObjectNode().put("id", "msg_fake").put("type", "message").put("status", status)
        .put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(textPart(text));
    }
    return item;
  }

  private static ObjectNode textPart(String text) {
    ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    return part;
  }

  private static ObjectNode callItem(FunctionCall call, String arguments, String status) {
    return JSON.createObjectNode().put("id", "fc_" + call.callId()).put("type", "function_call").put("status", status)
        .put("arguments", arguments).put("call_id", call.callId()).put("name", call.name());
  }

  /** The typed event stream OpenAI sends, text split at spaces into deltas. */
  private static void stream(HttpServerResponse response, Reply reply, String id, String model) {
    var events = new Events();
    events.add("response.created", JSON.createObjectNode().set("response", response(id, model, "in_progress")));
    events.add("response.in_progress", JSON.createObjectNode().set("response", response(id, model, "in_progress")));
    int index = 0;
    if (reply.reasoning() != null) {
      ObjectNode empty = JSON.createObjectNode().put("id", "rs_fake").put("type", "reasoning");
      empty.putArray("summary");
      events.add("response.output_item.added", JSON.createObjectNode().put("output_index", index).set("item", empty));
      events.add("response.reasoning_summary_text.delta", JSON.createObjectNode().put("item_id", "rs_fake")
          .put("output_index", index).put("summary_index", 0).put("delta", reply.reasoning()));
      events.add("response.output_item.done", JSON.createObjectNode().put("output_index", index)
          .set("item", reasoningItem(reply.reasoning())));
      index++;
    }
    if (!reply.text().isEmpty()) {
      events.add("response.output_item.added", JSON.createObjectNode().put("output_index", index)
          .set("item", messageItem(null, "in_progress")));
      events.add("response.content_part.added", JSON.createObjectNode().put("item_id", "msg_fake")
          .put("output_index", index).put("content_index", 0).set("part", textPart("")));
      String[] words = reply.text().split("(?<= )");
      for (int i = 0; i < words.length; i++) {
        ObjectNode delta = JSON.createObjectNode().put("item_id", "msg_fake").put("output_index", index)
            .put("content_index", 0).put("delta", words[i]);
        delta.putArray("logprobs");
        events.add("response.output_text.delta", delta);
        if (i == 0 && reply.failInStream()) {
          ObjectNode failed = response(id, model, "failed");
          failed.putObject("error").put("code", "server_error").put("message", reply.message());
          events.add("response.failed", JSON.createObjectNode().set("response", failed));
          events.send(response);
          return;
        }
      }
      ObjectNode textDone = JSON.createObjectNode().put("item_id", "msg_fake").put("output_index", index)
          .put("content_index", 0).put("text", reply.text());
      textDone.putArray("logprobs");
      events.add("response.output_text.done", textDone);
      events.add("response.content_part.done", JSON.createObjectNode().put("item_id", "msg_fake")
          .put("output_index", index).put("content_index", 0).set("part", textPart(reply.text())));
      events.add("response.output_item.done", JSON.createObjectNode().put("output_index", index)
          .set("item", messageItem(reply.text(), "completed")));
      index++;
    }
    for (FunctionCall call : reply.calls()) {
      events.add("response.output_item.added", JSON.createObjectNode().put("output_index", index)
          .set("item", callItem(call, "", "in_progress")));
      String arguments = call.arguments();
      int half = arguments.length() / 2;
      for (String piece : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
        events.add("response.function_call_arguments.delta", JSON.createObjectNode().put("item_id", "fc_" + call.callId())
            .put("output_index", index).put("delta", piece));
      }
      events.add("response.function_call_arguments.done", JSON.createObjectNode().put("item_id", "fc_" + call.callId())
          .put("output_index", index).put("arguments", arguments));
      events.add("response.output_item.done", JSON.createObjectNode().put("output_index", index)
          .set("item", callItem(call, arguments, "completed")));
      index++;
    }
    ObjectNode done = finished(reply, id, model);
    events.add(reply.incompleteReason() == null ? "response.completed" : "response.incomplete",
        JSON.createObjectNode().set("response", done));
    events.send(response);
  }

  /** Typed events with their {@code event:} lines and increasing sequence numbers. */
  private static final class Events {
    private final StringBuilder out = new StringBuilder();
    private int sequence;

    void add(String type, JsonNode fields) {
      ObjectNode event = JSON.createObjectNode().put("type", type);
      event.setAll((ObjectNode) fields);
      event.put("sequence_number", sequence++);
      out.append("event: ").append(type).append("\ndata: ").append(event).append("\n\n");
    }

    void send(HttpServerResponse response) {
      response.setStatusCode(200).putHeader("content-type", "text/event-stream").end(out.toString());
    }
  }

  private static String error(String message, String type, String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error").put("message", message).put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return body.toString();
  }

  private static void send(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(LIFECYCLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake Responses upstream lifecycle step failed", e);
    }
  }
}
