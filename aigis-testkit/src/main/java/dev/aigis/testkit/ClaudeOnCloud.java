package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.testkit.AnthropicRequestCheck.Rejected;
import dev.aigis.testkit.FakeAnthropicUpstream.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Claude as the clouds serve it, shared by {@link FakeGeminiUpstream}'s Vertex mode
 * ({@code rawPredict}) and {@link FakeBedrockUpstream} ({@code InvokeModel}): the Messages body
 * without {@code model}, with the cloud's {@code anthropic_version}, checked like Anthropic's API
 * checks it, and answered with Anthropic's own message or events ({@link AnthropicEvents}).
 */
final class ClaudeOnCloud {

  static final String VERTEX_VERSION = "vertex-2023-10-16";
  static final String BEDROCK_VERSION = "bedrock-2023-05-31";

  private ClaudeOnCloud() {}

  /**
   * The body a cloud received, checked: its {@code anthropic_version}, no {@code model} (the path
   * names it), and, once the path's model is put back, every check of Anthropic's API (roles,
   * tool results, signed thinking). Returns the body with the model, as answers are built from it.
   */
  static ObjectNode messages(byte[] body, String version, String model) throws Rejected {
    ObjectNode json = parse(body);
    if (!version.equals(json.path("anthropic_version").asText(null))) {
      throw Rejected.invalid("anthropic_version: Input should be '" + version + "'");
    }
    if (json.has("model")) {
      throw Rejected.invalid("model: Extra inputs are not permitted");
    }
    ObjectNode withModel = json.deepCopy();
    withModel.put("model", model);
    AnthropicRequestCheck.body(withModel, false);
    return withModel;
  }

  static ObjectNode parse(byte[] body) throws Rejected {
    try {
      if (FakeAnthropicUpstream.JSON.readTree(body) instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // below
    }
    throw Rejected.invalid("Request body is not valid JSON");
  }

  /** A count_tokens body: Anthropic's checks, answered with the fake's estimate. */
  static ObjectNode count(JsonNode body) throws Rejected {
    AnthropicRequestCheck.body(body, true);
    return FakeAnthropicUpstream.JSON.createObjectNode().put("input_tokens", AnthropicEvents.estimateInput(body));
  }

  /** Refuses a reply with tool calls to a request without tools, as the Anthropic fake does. */
  static void requireTools(Reply reply, JsonNode request) throws Rejected {
    if (!reply.toolCalls().isEmpty() && !request.path("tools").isArray()) {
      throw new Rejected(500, "api_error", "fake: the scripted reply has tool calls but the request declares no tools");
    }
  }

  /** The JSON data of each SSE event the stream would send, in order. */
  static List<ObjectNode> streamEvents(AnthropicEvents events) {
    List<ObjectNode> out = new ArrayList<>();
    for (String event : events.stream()) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          try {
            out.add((ObjectNode) FakeAnthropicUpstream.JSON.readTree(line.substring("data: ".length())));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return out;
  }

  /**
   * Bedrock's {@code InvokeModelWithResponseStream} frames of a stream: each event a {@code chunk}
   * of base64 {@code bytes} (the last with Bedrock's invocation metrics), an {@code error} event an
   * exception frame, as Bedrock reports failures.
   */
  static List<byte[]> bedrockFrames(AnthropicEvents events) {
    List<byte[]> frames = new ArrayList<>();
    for (ObjectNode event : streamEvents(events)) {
      String type = event.path("type").asText();
      if (type.equals("error")) {
        String errorType = event.path("error").path("type").asText();
        frames.add(BedrockEvents.exception(switch (errorType) {
          case "rate_limit_error" -> "throttlingException";
          case "overloaded_error" -> "serviceUnavailableException";
          default -> "modelStreamErrorException";
        }, event.path("error").path("message").asText()));
        continue;
      }
      if (type.equals("message_stop")) {
        event.putObject("amazon-bedrock-invocationMetrics").put("inputTokenCount", 1).put("outputTokenCount", 1)
            .put("invocationLatency", 10).put("firstByteLatency", 5);
      }
      String bytes = Base64.getEncoder().encodeToString(event.toString().getBytes(StandardCharsets.UTF_8));
      frames.add(BedrockEvents.event("chunk", FakeAnthropicUpstream.JSON.createObjectNode().put("bytes", bytes)));
    }
    return frames;
  }
}
