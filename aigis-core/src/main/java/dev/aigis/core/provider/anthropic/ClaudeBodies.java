package dev.aigis.core.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Anthropic Messages bodies as the clouds that host Claude take them: Vertex AI's
 * {@code rawPredict} and Bedrock's {@code InvokeModel} want the Messages body without
 * {@code model} (the path names it) and with their own {@code anthropic_version}. Everything else
 * the client sent (cache_control, thinking, tools, fields newer than this gateway) is kept.
 */
public final class ClaudeBodies {

  /** The {@code anthropic_version} Vertex AI requires in the body. */
  public static final String VERTEX_VERSION = "vertex-2023-10-16";
  /** The {@code anthropic_version} Bedrock requires in the body. */
  public static final String BEDROCK_VERSION = "bedrock-2023-05-31";

  private static final byte[] MESSAGES = "\"messages\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SYSTEM = "\"system\"".getBytes(StandardCharsets.UTF_8);

  private ClaudeBodies() {}

  /** Whether a Vertex AI model name is one of Anthropic's publisher models (Claude), by its name. */
  public static boolean isVertexClaude(String model) {
    return model != null && model.toLowerCase(Locale.ROOT).startsWith("claude");
  }

  /** Whether a Bedrock model id or inference profile (e.g. {@code us.anthropic.claude-...}) is Claude. */
  public static boolean isBedrockClaude(String model) {
    return model != null && model.toLowerCase(Locale.ROOT).contains("anthropic.");
  }

  /**
   * A copy of {@code messages} for a cloud: no {@code model}, {@code anthropic_version} set, and
   * {@code role: system} messages inside {@code messages} folded into {@code system}.
   */
  public static ObjectNode forCloud(ObjectNode messages, String anthropicVersion) {
    ObjectNode body = messages.deepCopy();
    body.remove("model");
    body.remove("anthropic_version");
    foldSystemMessages(body);
    ObjectNode out = Json.MAPPER.createObjectNode().put("anthropic_version", anthropicVersion);
    out.setAll(body);
    return out;
  }

  /**
   * Moves {@code role: system} messages out of {@code messages} (coding agents send them; the
   * Messages API refuses them) to the end of {@code system}, in order, as text blocks; a string
   * {@code system} becomes its one text block first. Returns whether anything moved.
   */
  public static boolean foldSystemMessages(ObjectNode body) {
    if (!(body.get("messages") instanceof ArrayNode messages)) {
      return false;
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    ArrayNode folded = Json.MAPPER.createArrayNode();
    for (JsonNode message : messages) {
      if ("system".equals(message.path("role").asText())) {
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
          folded.addObject().put("type", "text").put("text", content.asText());
        } else if (content != null && content.isArray()) {
          content.forEach(folded::add);
        }
      } else {
        kept.add(message);
      }
    }
    if (kept.size() == messages.size()) {
      return false;
    }
    JsonNode system = body.get("system");
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    if (system != null && system.isTextual()) {
      blocks.addObject().put("type", "text").put("text", system.asText());
    } else if (system != null && system.isArray()) {
      blocks.addAll((ArrayNode) system);
    }
    blocks.addAll(folded);
    body.set("messages", kept);
    body.set("system", blocks);
    return true;
  }

  /**
   * A Messages body with its {@code role: system} messages folded ({@link #foldSystemMessages}),
   * for native passthrough: the same bytes unless it has such messages. Only a body where the word
   * {@code "system"} follows {@code "messages"} outside a string escape is parsed, so the common
   * body is only scanned.
   */
  public static byte[] foldSystemMessages(byte[] body) {
    if (body == null || !mayHoldSystemMessages(body)) {
      return body;
    }
    try {
      if (Json.MAPPER.readTree(body) instanceof ObjectNode tree && foldSystemMessages(tree)) {
        return Json.MAPPER.writeValueAsBytes(tree);
      }
    } catch (java.io.IOException e) {
      // not JSON: Anthropic answers it as it would have
    }
    return body;
  }

  private static boolean mayHoldSystemMessages(byte[] body) {
    int messages = indexOf(body, MESSAGES, 0);
    if (messages < 0) {
      return false;
    }
    for (int at = indexOf(body, SYSTEM, messages); at >= 0; at = indexOf(body, SYSTEM, at + 1)) {
      if (body[at - 1] != '\\') {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] body, byte[] word, int from) {
    outer:
    for (int i = Math.max(from, 1); i <= body.length - word.length; i++) {
      for (int j = 0; j < word.length; j++) {
        if (body[i + j] != word[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A path segment (a model id, a project) percent-encoded, keeping {@code @} as Vertex AI model versions show it. */
  public static String segment(String value) {
    var out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Vertex AI's path for a Claude model: {@code :rawPredict}, or {@code :streamRawPredict} for a stream. */
  public static String vertexPath(String basePath, String project, String location, String model, boolean stream) {
    return trim(basePath) + "/v1/projects/" + segment(project) + "/locations/" + segment(location)
        + "/publishers/anthropic/models/" + segment(model) + (stream ? ":streamRawPredict" : ":rawPredict");
  }

  /** Vertex AI's token counter for Claude: one endpoint for every model, named in the body. */
  public static String vertexCountTokensPath(String basePath, String project, String location) {
    return trim(basePath) + "/v1/projects/" + segment(project) + "/locations/" + segment(location)
        + "/publishers/anthropic/models/count-tokens:rawPredict";
  }

  private static String trim(String basePath) {
    return basePath == null ? "" : basePath.replaceAll("/+$", "");
  }
}
