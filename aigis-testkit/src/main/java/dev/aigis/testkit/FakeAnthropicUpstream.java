package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.testkit.AnthropicRequestCheck.Rejected;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server (127.0.0.1, a free port, HTTP/1.1 and h2c) that answers like the Anthropic
 * Messages API: {@code POST /v1/messages}, plain or with {@code "stream": true} as the real event
 * sequence (message_start, ping, text and tool_use blocks with text/input_json deltas,
 * message_delta, message_stop), and {@code POST /v1/messages/count_tokens}.
 *
 * <p>It refuses what Anthropic refuses, with an Anthropic error object naming the problem: a
 * missing or wrong {@code x-api-key} (401), a missing {@code anthropic-version}, no
 * {@code max_tokens} or {@code messages}, a {@code system} role inside messages, roles other than
 * user/assistant, same-role neighbours, {@code tool_use} outside assistant and {@code tool_result}
 * outside user messages, tool results without their tool use and the reverse (400), other paths
 * (404). See {@code AnthropicRequestCheck} for the exact messages.
 *
 * <p>Scripting: each messages request takes the head of the {@link #script} queue, else the
 * {@link #setDefault default} ({@code Reply.text("Hello from the fake Claude.")}). A reply with
 * tool calls answers only requests that declare {@code tools} (else 500: the test is wrong).
 *
 * <p>Thread-safe: scripting and inspection may be called from any thread while serving.
 */
public final class FakeAnthropicUpstream implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One scripted tool call; {@code inputJson} must be a JSON object. */
  public record ToolCall(String id, String name, String inputJson) {
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      try {
        if (!JSON.readTree(inputJson).isObject()) {
          throw new IllegalArgumentException("tool input must be a JSON object: " + inputJson);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("tool input is not JSON: " + inputJson, e);
      }
    }
  }

  /**
   * What one request gets. Token counts below zero are estimated from the request and reply;
   * {@code stopReason} null means tool_use with tool calls, else end_turn. Faults: an {@code
   * error} event after {@code errorAfterDeltas} content deltas (stream only), the stream ended
   * after {@code truncateAfterEvents} events without message_stop, an HTTP {@code httpStatus}
   * with an Anthropic error body (any request), or {@code hang}: no answer at all (the client, or
   * {@link #close()}, ends it). {@code streamWriteBytes} above zero writes a stream in pieces of
   * that many bytes, cutting events anywhere as a network may; otherwise one event per write.
   */
  public record Reply(
      String text,
      List<ToolCall> toolCalls,
      int inputTokens,
      int outputTokens,
      int cacheReadTokens,
      int cacheCreationTokens,
      String stopReason,
      int errorAfterDeltas,
      String errorType,
      String errorMessage,
      int truncateAfterEvents,
      int httpStatus,
      boolean hang,
      int streamWriteBytes,
      String thinking) {

    public Reply {
      toolCalls = List.copyOf(toolCalls);
    }

    public static Reply text(String text) {
      return new Reply(text, List.of(), -1, -1, 0, 0, null, -1, null, null, -1, 0, false, 0, null);
    }

    /** An HTTP error answer: {@code {"type":"error","error":{"type":type,"message":message}}}. */
    public static Reply httpError(int status, String type, String message) {
      return new Reply("", List.of(), -1, -1, 0, 0, null, -1, type, message, -1, status, false, 0, null);
    }

    /** Never answers: no status, no headers (an upstream that stalls). */
    public static Reply hanging() {
      return new Reply("", List.of(), -1, -1, 0, 0, null, -1, null, null, -1, 0, true, 0, null);
    }

    public Reply withToolCall(String id, String name, String inputJson) {
      List<ToolCall> calls = new ArrayList<>(toolCalls);
      calls.add(new ToolCall(id, name, inputJson));
      return new Reply(text, calls, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens,
          stopReason, errorAfterDeltas, errorType, errorMessage, truncateAfterEvents, httpStatus,
          hang, streamWriteBytes, thinking);
    }

    public Reply withUsage(int input, int output) {
      return new Reply(text, toolCalls, input, output, cacheReadTokens, cacheCreationTokens,
          stopReason, errorAfterDeltas, errorType, errorMessage, truncateAfterEvents, httpStatus,
          hang, streamWriteBytes, thinking);
    }

    public Reply withCacheTokens(int read, int creation) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, read, creation,
          stopReason, errorAfterDeltas, errorType, errorMessage, truncateAfterEvents, httpStatus,
          hang, streamWriteBytes, thinking);
    }

    public Reply withStopReason(String reason) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens,
          cacheCreationTokens, reason, errorAfterDeltas, errorType, errorMessage,
          truncateAfterEvents, httpStatus, hang, streamWriteBytes, thinking);
    }

    /** Streams only: an {@code error} event after {@code deltas} content deltas, then the end. */
    public Reply withErrorEvent(int deltas, String type, String message) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens,
          cacheCreationTokens, stopReason, deltas, type, message, truncateAfterEvents, httpStatus,
          hang, streamWriteBytes, thinking);
    }

    /** Streams only: the response ends cleanly after {@code events} events, without message_stop. */
    public Reply withTruncationAfter(int events) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens,
          cacheCreationTokens, stopReason, errorAfterDeltas, errorType, errorMessage, events,
          httpStatus, hang, streamWriteBytes, thinking);
    }

    /**
     * The answer starts with a {@code thinking} block of this text, signed {@code sig-<length>}
     * ({@link #signatureOf}), streamed as {@code thinking_delta}s and a {@code signature_delta}.
     */
    public Reply withThinking(String thinkingText) {
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens,
          cacheCreationTokens, stopReason, errorAfterDeltas, errorType, errorMessage,
          truncateAfterEvents, httpStatus, hang, streamWriteBytes, thinkingText);
    }

    /** The signature the fake gives a thinking block of {@code text}, and checks when it is sent back. */
    public static String signatureOf(String text) {
      return "sig-" + text.length();
    }

    /**
     * Streams only: the events are written in pieces of {@code bytes} bytes regardless of where
     * events end, so a reader gets network chunks that split and join events.
     */
    public Reply withStreamWrites(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("bytes must be >= 1, got " + bytes);
      }
      return new Reply(text, toolCalls, inputTokens, outputTokens, cacheReadTokens,
          cacheCreationTokens, stopReason, errorAfterDeltas, errorType, errorMessage,
          truncateAfterEvents, httpStatus, hang, bytes, thinking);
    }
  }

  private static final Reply DEFAULT = Reply.text("Hello from the fake Claude.");

  private final Vertx vertx;
  private final String apiKey;
  private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile Reply defaultReply = DEFAULT;
  private int port;

  private FakeAnthropicUpstream(Vertx vertx, String apiKey) {
    this.vertx = vertx;
    this.apiKey = apiKey;
  }

  /** Starts on a free 127.0.0.1 port, accepting only {@code apiKey}; blocks until listening. */
  public static FakeAnthropicUpstream start(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    var upstream = new FakeAnthropicUpstream(vertx, apiKey);
    try {
      upstream.port = await(vertx.createHttpServer(new HttpServerOptions()
              .setHost("127.0.0.1").setIdleTimeout(0).setHttp2ClearTextEnabled(true))
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

  /** The next messages request gets {@code reply}; replies queue in order. */
  public void script(Reply reply) {
    queue.add(Objects.requireNonNull(reply));
  }

  /** What messages requests get when nothing is scripted. */
  public void setDefault(Reply reply) {
    defaultReply = Objects.requireNonNull(reply);
  }

  /** Every request received (refused ones included), oldest first. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The latest request, or {@code null}. */
  public RecordedRequest lastRequest() {
    RecordedRequest last = null;
    for (RecordedRequest r : requests) {
      last = r;
    }
    return last;
  }

  /** Forgets requests and scripted replies; the default reply is restored. */
  public void reset() {
    queue.clear();
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
    requests.add(record(request, body));
    boolean messages = request.path().equals("/v1/messages");
    boolean count = request.path().equals("/v1/messages/count_tokens");
    try {
      if (request.method() != HttpMethod.POST || !(messages || count)) {
        throw new Rejected(404, "not_found_error", "Not found: " + request.method() + " "
            + request.path() + " (this fake serves POST /v1/messages and /v1/messages/count_tokens)");
      }
      AnthropicRequestCheck.headers(
          request.getHeader("x-api-key"), apiKey, request.getHeader("anthropic-version"));
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (IOException e) {
        throw Rejected.invalid("Request body is not valid JSON");
      }
      AnthropicRequestCheck.body(json, count);
      if (count) {
        send(request.response(), 200,
            JSON.createObjectNode().put("input_tokens", AnthropicEvents.estimateInput(json)));
        return;
      }
      Reply reply = queue.poll();
      reply = reply != null ? reply : defaultReply;
      if (reply.hang()) {
        return; // the client, or close(), ends it
      }
      if (reply.httpStatus() > 0) {
        throw new Rejected(reply.httpStatus(), reply.errorType(), reply.errorMessage());
      }
      if (!reply.toolCalls().isEmpty() && !json.path("tools").isArray()) {
        throw new Rejected(500, "api_error",
            "fake: the scripted reply has tool calls but the request declares no tools");
      }
      var events = new AnthropicEvents(reply, json, "msg_fake_" + ids.incrementAndGet());
      if (json.path("stream").asBoolean(false)) {
        stream(request.response(), events.stream(), reply.streamWriteBytes());
      } else {
        send(request.response(), 200, events.message());
      }
    } catch (Rejected e) {
      send(request.response(), e.status, AnthropicEvents.error(e.type, e.getMessage()));
    }
  }

  private static void stream(HttpServerResponse response, List<String> events, int writeBytes) {
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
    if (writeBytes <= 0) {
      for (String event : events) {
        response.write(event);
      }
    } else {
      Buffer all = Buffer.buffer(String.join("", events));
      for (int from = 0; from < all.length(); from += writeBytes) {
        response.write(all.getBuffer(from, Math.min(all.length(), from + writeBytes)));
      }
    }
    response.end();
  }

  private static void send(HttpServerResponse response, int status, JsonNode body) {
    try {
      response.setStatusCode(status).putHeader("content-type", "application/json")
          .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RecordedRequest record(HttpServerRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    return new RecordedRequest(
        request.method().name(), request.uri(), Collections.unmodifiableMap(headers), body);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("fake Anthropic upstream: " + e.getMessage(), e);
    }
  }
}
