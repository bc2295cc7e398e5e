package dev.aigis.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link FakeOpenAiUpstream} answers one request. Start from {@link #ok()} and chain the
 * {@code with…} methods; every method returns a new value.
 *
 * <p>Faults ({@link #hang()}, {@link #closeConnection()}) and a scripted status apply to every
 * path and win over request validation; stream faults ({@link #malformedStream()}, {@link
 * #truncatedStream(int)}) and pacing only matter to streamed completions.
 *
 * @param status scripted HTTP status, or 0 for the normal answer of the endpoint
 * @param body body sent with {@code status}; {@code null} means an OpenAI error object fitting it
 * @param headers extra response headers, sent with every answer of this behaviour
 * @param headerDelay wait before the response headers (models upstream latency)
 * @param timeToFirstToken wait between the stream's headers and its first chunk
 * @param tokensPerSecond content chunks per second after the first; 0 sends them back to back
 * @param tokens number of content chunks; 0 means one per word of the reply
 * @param reply the assistant's text; {@code null} means generated filler of {@code tokens} words
 * @param promptTokens reported prompt tokens; -1 estimates them from the request (chars / 4)
 * @param completionTokens reported completion tokens; -1 reports the number of content chunks
 * @param fault what goes wrong, if anything
 * @param truncateAfter with {@link Fault#TRUNCATED_STREAM}: SSE events written before the reset
 * @param toolCalls functions the assistant calls instead of replying (chat completions only);
 *     empty for a text reply
 */
public record Behavior(
    int status,
    String body,
    Map<String, String> headers,
    Duration headerDelay,
    Duration timeToFirstToken,
    double tokensPerSecond,
    int tokens,
    String reply,
    int promptTokens,
    int completionTokens,
    Fault fault,
    int truncateAfter,
    List<ToolCall> toolCalls) {

  /** Failures the upstream can simulate. */
  public enum Fault {
    NONE,
    /** One SSE event whose data is not JSON, then the response ends (no {@code [DONE]}). */
    MALFORMED_STREAM,
    /** The stream is reset after {@code truncateAfter} events (no {@code [DONE]}). */
    TRUNCATED_STREAM,
    /** Response headers are never sent; the request stays open until the client gives up. */
    HANG,
    /** The connection is closed without any response. */
    CLOSE_CONNECTION
  }

  /**
   * One function call of the assistant, as in {@code message.tool_calls}.
   *
   * @param id e.g. {@code call_1}; the client answers it with a {@code tool} message
   * @param name the function's name
   * @param argumentsJson the arguments as the model writes them: a JSON text, sent as a string
   *     (not checked, so a test can send arguments that are not JSON)
   */
  public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(argumentsJson, "argumentsJson");
    }
  }

  private static final Behavior OK =
      new Behavior(
          0, null, Map.of(), Duration.ZERO, Duration.ZERO, 0, 0, null, -1, -1, Fault.NONE, 0,
          List.of());

  public Behavior {
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("status must be 0 or 100..599, got " + status);
    }
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    requireNonNegative(headerDelay, "headerDelay");
    requireNonNegative(timeToFirstToken, "timeToFirstToken");
    if (tokensPerSecond < 0 || Double.isNaN(tokensPerSecond)) {
      throw new IllegalArgumentException("tokensPerSecond must be >= 0, got " + tokensPerSecond);
    }
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
    }
    if (reply != null && reply.isEmpty()) {
      throw new IllegalArgumentException("reply must not be empty");
    }
    if (promptTokens < -1 || completionTokens < -1) {
      throw new IllegalArgumentException("token counts must be >= 0 (or -1 for automatic)");
    }
    Objects.requireNonNull(fault, "fault");
    if (truncateAfter < 0) {
      throw new IllegalArgumentException("truncateAfter must be >= 0, got " + truncateAfter);
    }
    toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
  }

  /** A normal, immediate OpenAI-like answer. */
  public static Behavior ok() {
    return OK;
  }

  /** Answers {@code status} with an OpenAI error object that fits it (429: rate limit, …). */
  public Behavior withStatus(int status) {
    return withStatus(status, null);
  }

  /** Answers {@code status} with exactly {@code body} (sent as application/json). */
  public Behavior withStatus(int status, String body) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tokensPerSecond,
        tokens, reply, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  /** Adds a response header, e.g. {@code retry-after} next to a 429. */
  public Behavior withHeader(String name, String value) {
    var merged = new LinkedHashMap<>(headers);
    merged.put(name, value);
    return new Behavior(status, body, merged, headerDelay, timeToFirstToken, tokensPerSecond,
        tokens, reply, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  public Behavior withHeaderDelay(Duration delay) {
    return new Behavior(status, body, headers, delay, timeToFirstToken, tokensPerSecond,
        tokens, reply, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  public Behavior withTimeToFirstToken(Duration ttft) {
    return new Behavior(status, body, headers, headerDelay, ttft, tokensPerSecond,
        tokens, reply, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  public Behavior withTokensPerSecond(double tps) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tps,
        tokens, reply, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  /** Number of content chunks; an explicit reply is cut into this many similar pieces. */
  public Behavior withTokens(int n) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tokensPerSecond,
        n, reply, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  public Behavior withReply(String text) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tokensPerSecond,
        tokens, text, promptTokens, completionTokens, fault, truncateAfter, toolCalls);
  }

  public Behavior withUsage(int prompt, int completion) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tokensPerSecond,
        tokens, reply, prompt, completion, fault, truncateAfter, toolCalls);
  }

  /**
   * The assistant calls these functions instead of replying, as OpenAI answers a request with
   * {@code tools}: {@code message.content} is null, {@code message.tool_calls} lists the calls and
   * {@code finish_reason} is {@code tool_calls}. Streamed, each call (in order, as OpenAI sends
   * parallel calls) gets a chunk with its index, id, type and name and empty arguments, then its
   * arguments in up to three pieces. Only chat completions answer with tool calls; no calls
   * means a text reply again. Completion tokens default to the number of tool-call chunks.
   */
  public Behavior withToolCalls(ToolCall... calls) {
    return withToolCalls(List.of(calls));
  }

  /** As {@link #withToolCalls(ToolCall...)}. */
  public Behavior withToolCalls(List<ToolCall> calls) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tokensPerSecond,
        tokens, reply, promptTokens, completionTokens, fault, truncateAfter, calls);
  }

  public Behavior malformedStream() {
    return withFault(Fault.MALFORMED_STREAM, 0);
  }

  /** Resets the stream after {@code afterChunks} SSE events (the chat role chunk counts). */
  public Behavior truncatedStream(int afterChunks) {
    return withFault(Fault.TRUNCATED_STREAM, afterChunks);
  }

  public Behavior hang() {
    return withFault(Fault.HANG, 0);
  }

  public Behavior closeConnection() {
    return withFault(Fault.CLOSE_CONNECTION, 0);
  }

  private Behavior withFault(Fault f, int after) {
    return new Behavior(status, body, headers, headerDelay, timeToFirstToken, tokensPerSecond,
        tokens, reply, promptTokens, completionTokens, f, after, toolCalls);
  }

  private static void requireNonNegative(Duration d, String name) {
    if (Objects.requireNonNull(d, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
  }
}
