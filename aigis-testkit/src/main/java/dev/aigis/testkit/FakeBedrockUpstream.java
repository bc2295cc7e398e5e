package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server (127.0.0.1, a free port) that answers like Bedrock Runtime's Converse API:
 * {@code POST /model/{modelId}/converse} as JSON and {@code /converse-stream} as an
 * {@code application/vnd.amazon.eventstream} of messageStart, contentBlockStart (tool uses),
 * contentBlockDelta (text, tool input halves), contentBlockStop, messageStop and metadata frames,
 * CRC-checked framing by the AWS {@code eventstream} library.
 *
 * <p>Every request's SigV4 signature is verified ({@link SigV4Verifier}, independent of the AWS
 * SDK) for the given access key, secret, optional session token, region and service
 * {@code bedrock}; failures are 403s with AWS's messages and {@code x-amzn-ErrorType}. Malformed
 * Converse bodies are 400 {@code ValidationException}s ({@link BedrockRequestCheck}), other paths
 * 404 {@code UnknownOperationException}.
 *
 * <p>Scripting: each Converse request takes the head of the script queue, else the default
 * ({@code Reply.text("Hello from the fake Bedrock.")}). Claude model ids ({@code anthropic.} in the
 * id) also answer InvokeModel ({@code /invoke}, {@code /invoke-with-response-stream}) and
 * {@code /count-tokens} with Anthropic bodies, scripted with {@link #scriptClaude}. Thread-safe.
 */
public final class FakeBedrockUpstream implements AutoCloseable {

  private static final Pattern PATH = Pattern.compile(
      "/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)");

  /** One scripted tool use; {@code inputJson} must be a JSON object. */
  public record ToolCall(String id, String name, JsonNode input) {
    public static ToolCall of(String id, String name, String inputJson) {
      try {
        JsonNode input = BedrockEvents.JSON.readTree(inputJson);
        if (!input.isObject()) {
          throw new IllegalArgumentException("tool input must be a JSON object: " + inputJson);
        }
        return new ToolCall(id, name, input);
      } catch (IOException e) {
        throw new IllegalArgumentException("tool input is not JSON: " + inputJson, e);
      }
    }
  }

  /**
   * What one request gets. Token counts below zero are estimated; {@code stopReason} null means
   * tool_use with tool calls, else end_turn. Faults (streams): an exception message after
   * {@code exceptionAfterDeltas} deltas, or the stream cut after {@code truncateAfterEvents}
   * frames; any request: an HTTP {@code httpStatus} with {@code {"message"}} and
   * {@code x-amzn-ErrorType: exceptionType}.
   */
  public record Reply(String text, List<ToolCall> toolCalls, int inputTokens, int outputTokens, int cacheReadTokens,
      String stopReason, int exceptionAfterDeltas, String exceptionType, String exceptionMessage,
      int truncateAfterEvents, int httpStatus) {

    public Reply {
      toolCalls = List.copyOf(toolCalls);
    }

    public static Reply text(String text) {
      return new Reply(text, List.of(), -1, -1, 0, null, -1, null, null, -1, 0);
    }

    public static Reply httpError(int status, String exceptionType, String message) {
      return new Reply("", List.of(), -1, -1, 0, null, -1, exceptionType, message, -1, status);
    }

    public Reply withToolCall(String id, String name, String inputJson) {
      List<ToolCall> calls = new ArrayList<>(toolCalls);
      calls.add(ToolCall.of(id, name, inputJson));
      return new Reply(text, calls, inputTokens, outputTokens, cacheReadTokens, stopReason, exceptionAfterDeltas,
          exceptionType, exceptionMessage, truncateAfterEvents, httpStatus);
    }

    public Reply withUsage(int input, int output, int cacheRead) {
      return new Reply(text, toolCalls, input, output, cacheRead, stopReason, exceptionAfterDeltas,
          exceptionType, exceptionMessage, truncateAfterEvents, httpStatus);
    }

    public Reply withStopReason(String reason) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens, reason, exceptionAfterDeltas,
          exceptionType, exceptionMessage, truncateAfterEvents, httpStatus);
    }

    /** Streams only: an exception message after {@code deltas} deltas, then the end. */
    public Reply withExceptionAfter(int deltas, String type, String message) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens, stopReason, deltas, type,
          message, truncateAfterEvents, httpStatus);
    }

    /** Streams only: the response ends cleanly after {@code events} frames. */
    public Reply withTruncationAfter(int events) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens, stopReason,
          exceptionAfterDeltas, exceptionType, exceptionMessage, events, httpStatus);
    }
  }

  private static final Reply DEFAULT = Reply.text("Hello from the fake Bedrock.");

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<FakeAnthropicUpstream.Reply> claudeQueue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private volatile Reply defaultReply = DEFAULT;
  private int port;

  private FakeBedrockUpstream(Vertx vertx, SigV4Verifier verifier) {
    this.vertx = vertx;
    this.verifier = verifier;
  }

  /** Starts on a free 127.0.0.1 port accepting requests signed with these credentials for {@code region}. */
  public static FakeBedrockUpstream start(String accessKeyId, String secretAccessKey, String sessionToken,
      String region) {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    var upstream = new FakeBedrockUpstream(vertx,
        new SigV4Verifier(accessKeyId, secretAccessKey, sessionToken, region, "bedrock"));
    try {
      upstream.port = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setIdleTimeout(0))
          .requestHandler(upstream::handle)
          .listen(0, "127.0.0.1")).actualPort();
      return upstream;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public void script(Reply reply) {
    queue.add(Objects.requireNonNull(reply));
  }

  public void setDefault(Reply reply) {
    defaultReply = Objects.requireNonNull(reply);
  }

  /** Every request received (refused ones included), oldest first. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public RecordedRequest lastRequest() {
    RecordedRequest last = null;
    for (RecordedRequest r : requests) {
      last = r;
    }
    return last;
  }

  /** The model id of the latest request's path, decoded. */
  public String lastModelId() {
    RecordedRequest last = lastRequest();
    Matcher m = last == null ? null : PATH.matcher(last.path());
    return m != null && m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
  }

  public void reset() {
    queue.clear();
    claudeQueue.clear();
    requests.clear();
    defaultReply = DEFAULT;
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  // ---- serving, on the event loop ----

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> serve(request, body.getBytes()));
  }

  private void serve(HttpServerRequest request, byte[] body) {
    RecordedRequest recorded = record(request, body);
    requests.add(recorded);
    HttpServerResponse response = request.response();
    String rawPath = request.path();
    SigV4Verifier.Failure failure =
        verifier.verify(request.method().name(), rawPath, request.query(), recorded.headers(), body);
    if (failure != null) {
      error(response, 403, failure.type(), failure.message());
      return;
    }
    Matcher path = PATH.matcher(rawPath);
    if (request.method() != HttpMethod.POST || !path.matches()) {
      error(response, 404, "UnknownOperationException", null);
      return;
    }
    String modelId = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
    if (modelId.contains("anthropic.") && !path.group(2).startsWith("converse")) {
      claude(response, body, modelId, path.group(2));
      return;
    }
    if (path.group(2).equals("invoke")) {
      invokeEmbedding(response, body);
      return;
    }
    JsonNode json;
    try {
      json = BedrockEvents.JSON.readTree(body);
      BedrockRequestCheck.check(json);
    } catch (IOException e) {
      error(response, 400, "ValidationException", "Malformed input request, please reformat your input and try again.");
      return;
    } catch (BedrockRequestCheck.Invalid e) {
      error(response, 400, "ValidationException", e.getMessage());
      return;
    }
    Reply reply = queue.poll();
    reply = reply != null ? reply : defaultReply;
    if (reply.httpStatus() > 0) {
      error(response, reply.httpStatus(), reply.exceptionType(), reply.exceptionMessage());
      return;
    }
    if (!reply.toolCalls().isEmpty() && !json.has("toolConfig")) {
      error(response, 500, "InternalServerException", "fake: the scripted reply has tool uses but the request has no toolConfig");
      return;
    }
    response.putHeader("x-amzn-requestid", UUID.randomUUID().toString());
    if (path.group(2).equals("converse-stream")) {
      response.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
      for (byte[] frame : BedrockEvents.stream(reply, json)) {
        response.write(Buffer.buffer(frame));
      }
      response.end();
    } else {
      send(response, 200, BedrockEvents.converse(reply, json));
    }
  }

  /**
   * Claude through InvokeModel: the Messages body without {@code model} or {@code stream}, with
   * {@code anthropic_version: bedrock-2023-05-31} (betas only in {@code anthropic_beta}), answered
   * with Anthropic's message, or its events as base64 {@code chunk} frames; CountTokens with
   * {@code {"input":{"invokeModel":{"body":<base64>}}}} answered {@code {"inputTokens":N}}. Refusals
   * are 400 {@code ValidationException}s with Anthropic's message.
   */
  private void claude(HttpServerResponse response, byte[] body, String modelId, String operation) {
    try {
      if (operation.equals("count-tokens")) {
        String encoded = ClaudeOnCloud.parse(body).path("input").path("invokeModel").path("body").asText(null);
        if (encoded == null) {
          throw AnthropicRequestCheck.Rejected.invalid("input.invokeModel.body: Field required");
        }
        ObjectNode counted = ClaudeOnCloud.messages(Base64.getDecoder().decode(encoded), ClaudeOnCloud.BEDROCK_VERSION,
            modelId);
        ObjectNode tokens = ClaudeOnCloud.count(counted);
        send(response, 200, BedrockEvents.JSON.createObjectNode().put("inputTokens", tokens.get("input_tokens").asLong()));
        return;
      }
      ObjectNode json = ClaudeOnCloud.messages(body, ClaudeOnCloud.BEDROCK_VERSION, modelId);
      if (json.has("stream")) {
        throw AnthropicRequestCheck.Rejected.invalid("stream: Extra inputs are not permitted");
      }
      FakeAnthropicUpstream.Reply reply = claudeQueue.poll();
      reply = reply != null ? reply : FakeAnthropicUpstream.Reply.text("Hello from Claude on Bedrock.");
      if (reply.httpStatus() > 0) {
        error(response, reply.httpStatus(), "ThrottlingException", reply.errorMessage());
        return;
      }
      ClaudeOnCloud.requireTools(reply, json);
      var events = new AnthropicEvents(reply, json, "msg_bdrk_" + UUID.randomUUID().toString().substring(0, 8));
      response.putHeader("x-amzn-requestid", UUID.randomUUID().toString());
      if (operation.equals("invoke-with-response-stream")) {
        response.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
        for (byte[] frame : ClaudeOnCloud.bedrockFrames(events)) {
          response.write(Buffer.buffer(frame));
        }
        response.end();
      } else {
        send(response, 200, events.message());
      }
    } catch (AnthropicRequestCheck.Rejected e) {
      error(response, e.status, "ValidationException", e.getMessage());
    } catch (IllegalArgumentException e) {
      error(response, 400, "ValidationException", "input.invokeModel.body is not base64");
    }
  }

  /** Queues a reply for the next Claude InvokeModel request. */
  public void scriptClaude(FakeAnthropicUpstream.Reply reply) {
    claudeQueue.add(Objects.requireNonNull(reply));
  }

  /** Titan text embeddings: {@code {"inputText"}} in, {@code {"embedding","inputTextTokenCount"}} out ({@link FakeEmbeddings}). */
  private static void invokeEmbedding(HttpServerResponse response, byte[] body) {
    JsonNode json;
    try {
      json = BedrockEvents.JSON.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.path("inputText").isTextual()) {
      error(response, 400, "ValidationException", "Malformed input request: required key [inputText] not found");
      return;
    }
    String text = json.get("inputText").asText();
    var out = BedrockEvents.JSON.createObjectNode();
    out.set("embedding", FakeEmbeddings.values(text));
    out.put("inputTextTokenCount", FakeEmbeddings.tokens(text));
    send(response, 200, out);
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

  private static RecordedRequest record(HttpServerRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    return new RecordedRequest(request.method().name(), request.uri(), Collections.unmodifiableMap(headers), body);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("fake Bedrock upstream: " + e.getMessage(), e);
    }
  }
}
