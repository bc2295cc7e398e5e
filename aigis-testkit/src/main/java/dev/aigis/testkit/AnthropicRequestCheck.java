package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The request checks {@link FakeAnthropicUpstream} applies, modelled on the real API's 400s so a
 * translator that builds a wrong shape fails in tests the way it would in production. Each check
 * throws {@link Rejected} with Anthropic's error type and a message naming the field.
 */
final class AnthropicRequestCheck {

  /** A request the fake refuses: rendered as {@code {"type":"error","error":{type, message}}}. */
  static final class Rejected extends Exception {
    final int status;
    final String type;

    Rejected(int status, String type, String message) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
    }

    static Rejected invalid(String message) {
      return new Rejected(400, "invalid_request_error", message);
    }
  }

  private AnthropicRequestCheck() {}

  static void headers(String apiKey, String expectedKey, String version) throws Rejected {
    if (apiKey == null) {
      throw new Rejected(401, "authentication_error", "x-api-key header is required");
    }
    if (!apiKey.equals(expectedKey)) {
      throw new Rejected(401, "authentication_error", "invalid x-api-key");
    }
    if (version == null) {
      throw Rejected.invalid("anthropic-version: header is required");
    }
  }

  /** {@code POST /v1/messages}; {@code countTokens} for the count endpoint, which has no max_tokens. */
  static void body(JsonNode body, boolean countTokens) throws Rejected {
    if (body == null || !body.isObject()) {
      throw Rejected.invalid("Request body must be a JSON object");
    }
    if (!body.path("model").isTextual()) {
      throw Rejected.invalid("model: Field required");
    }
    if (!countTokens) {
      JsonNode max = body.get("max_tokens");
      if (max == null || max.isNull()) {
        throw Rejected.invalid("max_tokens: Field required");
      }
      if (!max.isIntegralNumber() || max.asLong() < 1) {
        throw Rejected.invalid("max_tokens: Input should be an integer greater than or equal to 1");
      }
    }
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw Rejected.invalid("messages: Field required");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw Rejected.invalid("messages: at least one message is required");
    }
    JsonNode system = body.get("system");
    if (system != null && !system.isNull() && !system.isTextual() && !system.isArray()) {
      throw Rejected.invalid("system: Input should be a string or a list of text blocks");
    }
    messages(messages);
  }

  private static void messages(JsonNode messages) throws Rejected {
    String previousRole = null;
    Set<String> pendingToolUses = new LinkedHashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText(null);
      if ("system".equals(role)) {
        throw Rejected.invalid("messages." + i + ".role: Unexpected role \"system\". The Messages"
            + " API accepts a top-level `system` parameter, not \"system\" as an input message role.");
      }
      if (!"user".equals(role) && !"assistant".equals(role)) {
        throw Rejected.invalid("messages." + i + ".role: Input should be 'user' or 'assistant'");
      }
      if (role.equals(previousRole)) {
        throw Rejected.invalid("messages." + i + ": roles must alternate between \"user\" and"
            + " \"assistant\", but found multiple \"" + role + "\" roles in a row");
      }
      JsonNode content = message.get("content");
      if (content == null || !(content.isTextual() || content.isArray())) {
        throw Rejected.invalid("messages." + i + ".content: Field required");
      }
      Set<String> answered = new HashSet<>();
      Set<String> toolUses = new LinkedHashSet<>();
      for (int j = 0; content.isArray() && j < content.size(); j++) {
        JsonNode block = content.get(j);
        String at = "messages." + i + ".content." + j;
        switch (block.path("type").asText("")) {
          case "text" -> {
            if (block.path("text").asText("").isEmpty()) {
              throw Rejected.invalid(at + ": text content blocks must be non-empty");
            }
          }
          case "image" -> image(block, at);
          case "thinking" -> {
            if (!role.equals("assistant")) {
              throw Rejected.invalid(at + ": thinking blocks are only allowed in assistant messages");
            }
            // This fake signs thinking as FakeAnthropicUpstream.Reply.signatureOf does; anything else was altered.
            if (!block.path("signature").asText("").equals(
                FakeAnthropicUpstream.Reply.signatureOf(block.path("thinking").asText("")))) {
              throw Rejected.invalid(at + ".signature: Invalid `signature` in `thinking` block");
            }
          }
          case "redacted_thinking" -> {
            if (!role.equals("assistant") || !block.path("data").isTextual()) {
              throw Rejected.invalid(at + ": redacted_thinking blocks need data and an assistant message");
            }
          }
          case "tool_use" -> {
            if (!role.equals("assistant")) {
              throw Rejected.invalid(at + ": tool_use blocks are only allowed in assistant messages");
            }
            if (!block.path("input").isObject()) {
              throw Rejected.invalid(at + ".input: Input should be a valid dictionary");
            }
            toolUses.add(block.path("id").asText());
          }
          case "tool_result" -> {
            if (!role.equals("user")) {
              throw Rejected.invalid(at + ": tool_result blocks are only allowed in user messages");
            }
            String id = block.path("tool_use_id").asText();
            if (!pendingToolUses.contains(id)) {
              throw Rejected.invalid(at + ": unexpected tool_use_id found in tool_result blocks: "
                  + id + ". Each tool_result block must have a corresponding tool_use block in the"
                  + " previous message.");
            }
            answered.add(id);
          }
          default -> throw Rejected.invalid(at + ".type: Input tag '" + block.path("type").asText()
              + "' found using 'type' does not match any of the expected tags");
        }
      }
      pendingToolUses.removeAll(answered);
      if (!pendingToolUses.isEmpty()) {
        throw Rejected.invalid("messages." + i + ": tool_use ids were found without tool_result"
            + " blocks immediately after: " + String.join(", ", pendingToolUses) + ". Each tool_use"
            + " block must have a corresponding tool_result block in the next message.");
      }
      pendingToolUses = toolUses;
      previousRole = role;
    }
  }

  private static void image(JsonNode block, String at) throws Rejected {
    JsonNode source = block.path("source");
    switch (source.path("type").asText("")) {
      case "base64" -> {
        if (!source.path("media_type").asText("").startsWith("image/")
            || source.path("data").asText("").isEmpty()) {
          throw Rejected.invalid(at + ".source: base64 images need a media_type and data");
        }
      }
      case "url" -> {
        if (!source.path("url").asText("").startsWith("http")) {
          throw Rejected.invalid(at + ".source.url: must be an http(s) URL");
        }
      }
      default -> throw Rejected.invalid(at + ".source.type: must be base64 or url");
    }
  }
}
