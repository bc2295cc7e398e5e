package dev.aigis.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FakeAzureOpenAiUpstream} answers to one valid request: text and tool calls (streamed
 * per word), usage, a finish reason, or an Azure-shaped error status. Immutable; the {@code with}
 * methods return copies.
 *
 * @param status 0 for a completion, else the error status sent with {@code errorBody}
 * @param promptTokens reported usage; -1 counts the prompt's words
 * @param completionTokens reported usage; -1 counts the reply's pieces
 * @param finishReason null picks {@code stop}, or {@code tool_calls} when there are tool calls
 */
public record AzureReply(String text, List<ToolCall> toolCalls, int promptTokens,
    int completionTokens, String finishReason, int status, String errorBody) {

  public record ToolCall(String id, String name, String arguments) {}

  public AzureReply {
    toolCalls = List.copyOf(toolCalls);
  }

  public static final String CONTENT_FILTER_MESSAGE = "The response was filtered due to the prompt "
      + "triggering Azure OpenAI's content management policy. Please modify your prompt and retry. "
      + "To learn more about our content filtering policies please read our documentation: "
      + "https://go.microsoft.com/fwlink/?linkid=2198766";

  public static AzureReply text(String text) {
    return new AzureReply(text, List.of(), -1, -1, null, 0, null);
  }

  /** No text, one tool call (add more with {@link #withToolCall}). */
  public static AzureReply toolCall(String id, String name, String arguments) {
    return text(null).withToolCall(id, name, arguments);
  }

  /** The answer was cut by Azure's output filter: {@code partial}, then {@code content_filter}. */
  public static AzureReply contentFiltered(String partial) {
    return text(partial).withFinishReason("content_filter");
  }

  /** {@code {"error":{"code":code,"message":message}}} with {@code status}. */
  public static AzureReply error(int status, String code, String message) {
    return new AzureReply(null, List.of(), 0, 0, null, status,
        FakeAzureOpenAiUpstream.errorBody(code, message));
  }

  /** Any body with {@code status}, e.g. an HTML page from a proxy. */
  public static AzureReply rawError(int status, String body) {
    return new AzureReply(null, List.of(), 0, 0, null, status, body);
  }

  /** The 400 Azure sends when the prompt trips the content filter. */
  public static AzureReply promptFiltered() {
    return rawError(400, "{\"error\":{\"message\":\"" + CONTENT_FILTER_MESSAGE.replace("\"", "\\\"")
        + "\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,"
        + "\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{"
        + "\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"violence\":{\"filtered\":true,\"severity\":\"high\"}}}}}");
  }

  public AzureReply withToolCall(String id, String name, String arguments) {
    List<ToolCall> calls = new ArrayList<>(toolCalls);
    calls.add(new ToolCall(id, name, arguments));
    return new AzureReply(text, calls, promptTokens, completionTokens, finishReason, status, errorBody);
  }

  public AzureReply withUsage(int prompt, int completion) {
    return new AzureReply(text, toolCalls, prompt, completion, finishReason, status, errorBody);
  }

  public AzureReply withFinishReason(String reason) {
    return new AzureReply(text, toolCalls, promptTokens, completionTokens, reason, status, errorBody);
  }

  String finish() {
    if (finishReason != null) {
      return finishReason;
    }
    return toolCalls.isEmpty() ? "stop" : "tool_calls";
  }

  /** The text cut per word, the space before a word going with it. */
  List<String> pieces() {
    return text == null ? List.of() : Script.split(text, 0);
  }
}
