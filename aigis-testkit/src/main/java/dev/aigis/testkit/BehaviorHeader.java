package dev.aigis.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the {@code x-fake-behavior} header; the keys are documented on {@link FakeOpenAiUpstream}. */
final class BehaviorHeader {

  static final String NAME = "x-fake-behavior";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BehaviorHeader() {}

  /** @throws IllegalArgumentException naming the bad key, so a typo fails loudly with a 400 */
  static Behavior parse(String header) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(NAME + " is not JSON: " + header);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(NAME + " must be a JSON object: " + header);
    }
    Behavior b = Behavior.ok();
    int prompt = -1;
    int completion = -1;
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode v = field.getValue();
      b = switch (field.getKey()) {
        case "status" -> b.withStatus(integer(field), b.body());
        case "body" -> b.withStatus(b.status(), v.isTextual() ? v.asText() : v.toString());
        case "headers" -> {
          Behavior withHeaders = b;
          for (Map.Entry<String, JsonNode> h : v.properties()) {
            withHeaders = withHeaders.withHeader(h.getKey(), h.getValue().asText());
          }
          yield withHeaders;
        }
        case "delayMs" -> b.withHeaderDelay(Duration.ofMillis(integer(field)));
        case "ttftMs" -> b.withTimeToFirstToken(Duration.ofMillis(integer(field)));
        case "tps" -> b.withTokensPerSecond(number(field));
        case "tokens" -> b.withTokens(integer(field));
        case "reply" -> b.withReply(v.asText());
        case "promptTokens" -> {
          prompt = integer(field);
          yield b;
        }
        case "completionTokens" -> {
          completion = integer(field);
          yield b;
        }
        case "malformed" -> v.asBoolean() ? b.malformedStream() : b;
        case "truncateAfter" -> b.truncatedStream(integer(field));
        case "hang" -> v.asBoolean() ? b.hang() : b;
        case "close" -> v.asBoolean() ? b.closeConnection() : b;
        case "toolCalls" -> b.withToolCalls(toolCalls(v));
        default -> throw new IllegalArgumentException(
            NAME + ": unknown key '" + field.getKey() + "'; known: status, body, headers,"
                + " delayMs, ttftMs, tps, tokens, reply, promptTokens, completionTokens,"
                + " malformed, truncateAfter, hang, close, toolCalls");
      };
    }
    if (prompt >= 0 || completion >= 0) {
      b = b.withUsage(prompt, completion);
    }
    if (b.body() != null && b.status() == 0) {
      b = b.withStatus(200, b.body());
    }
    return b;
  }

  /** {@code [{"id":…,"name":…,"arguments":…}]}; arguments as a JSON string or as JSON itself. */
  private static List<Behavior.ToolCall> toolCalls(JsonNode v) {
    if (!v.isArray()) {
      throw new IllegalArgumentException(NAME + ": 'toolCalls' must be an array");
    }
    List<Behavior.ToolCall> calls = new ArrayList<>();
    for (JsonNode call : v) {
      if (!call.isObject()) {
        throw new IllegalArgumentException(NAME + ": 'toolCalls' must hold objects");
      }
      for (Map.Entry<String, JsonNode> f : call.properties()) {
        if (!List.of("id", "name", "arguments").contains(f.getKey())) {
          throw new IllegalArgumentException(NAME + ": unknown key 'toolCalls[]." + f.getKey()
              + "'; known: id, name, arguments");
        }
      }
      JsonNode id = call.get("id");
      JsonNode name = call.get("name");
      if (id == null || !id.isTextual() || name == null || !name.isTextual()) {
        throw new IllegalArgumentException(
            NAME + ": each of 'toolCalls' needs string 'id' and 'name'");
      }
      JsonNode args = call.get("arguments");
      String arguments = args == null || args.isNull() ? "{}"
          : args.isTextual() ? args.asText() : args.toString();
      calls.add(new Behavior.ToolCall(id.asText(), name.asText(), arguments));
    }
    return calls;
  }

  private static int integer(Map.Entry<String, JsonNode> field) {
    if (!field.getValue().canConvertToInt()) {
      throw new IllegalArgumentException(NAME + ": '" + field.getKey() + "' must be an integer");
    }
    return field.getValue().asInt();
  }

  private static double number(Map.Entry<String, JsonNode> field) {
    if (!field.getValue().isNumber()) {
      throw new IllegalArgumentException(NAME + ": '" + field.getKey() + "' must be a number");
    }
    return field.getValue().asDouble();
  }
}
