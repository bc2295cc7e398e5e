package dev.aigis.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAI chat request body as a Gemini {@code GenerateContentRequest}. Stateless apart from one
 * request's bookkeeping; the contract is on {@link OpenAiToGeminiChatTranslator}. Errors are 400s
 * naming the OpenAI field, never quoting content.
 */
final class GeminiRequestTranslation {

  private final ObjectNode in;
  private final ObjectNode out = Json.MAPPER.createObjectNode();
  private final ArrayNode contents = Json.MAPPER.createArrayNode();
  private final ArrayNode system = Json.MAPPER.createArrayNode();
  /** OpenAI tool-call id to function name: Gemini's functionResponse names the function, not the call. */
  private final Map<String, String> callNames = new HashMap<>();
  private String lastRole;
  private ArrayNode lastParts;

  private GeminiRequestTranslation(ObjectNode in) {
    this.in = in;
  }

  static ObjectNode translate(ObjectNode openAi) throws TranslationException {
    return new GeminiRequestTranslation(openAi).run();
  }

  private ObjectNode run() throws TranslationException {
    refuseInexpressible();
    JsonNode messages = in.get("messages");
    if (messages == null || !messages.isArray()) {
      throw invalid("'messages' must be an array", "messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      message(messages.get(i), "messages[" + i + "]");
    }
    if (contents.isEmpty()) {
      throw invalid("'messages' must contain at least one user, assistant or tool message", "messages");
    }
    out.set("contents", contents);
    if (!system.isEmpty()) {
      out.putObject("systemInstruction").set("parts", system);
    }
    tools();
    ObjectNode config = generationConfig();
    if (!config.isEmpty()) {
      out.set("generationConfig", config);
    }
    return out;
  }

  private void refuseInexpressible() throws TranslationException {
    PivotRequests.refuseInexpressible(in, "Gemini");
  }


  // ---- messages ----

  private void message(JsonNode message, String where) throws TranslationException {
    String role = text(message.get("role"));
    JsonNode content = message.get("content");
    switch (role == null ? "" : role) {
      case "system", "developer" -> {
        for (String text : texts(content, where + ".content")) {
          system.addObject().put("text", text);
        }
      }
      case "user" -> append("user", userParts(content, where + ".content"));
      case "assistant" -> append("model", assistantParts(message, where));
      case "tool" -> append("user", List.of(functionResponse(message, where)));
      default -> throw invalid("'" + where + ".role' must be system, developer, user, assistant or tool"
          + " for the Gemini backend", "messages");
    }
  }

  /** Same-role neighbours become one turn, so parallel tool results answer their calls in one user turn. */
  private void append(String role, List<ObjectNode> parts) {
    if (parts.isEmpty()) {
      return;
    }
    if (!role.equals(lastRole)) {
      ObjectNode turn = contents.addObject().put("role", role);
      lastParts = turn.putArray("parts");
      lastRole = role;
    }
    lastParts.addAll(parts);
  }

  private List<ObjectNode> userParts(JsonNode content, String where) throws TranslationException {
    if (content == null || content.isNull()) {
      throw invalid("'" + where + "' is required for user messages", "messages");
    }
    if (content.isTextual()) {
      return List.of(textPart(content.asText()));
    }
    requireArray(content, where);
    var parts = new java.util.ArrayList<ObjectNode>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = text(part.get("type"));
      switch (type == null ? "" : type) {
        case "text" -> parts.add(textPart(part.path("text").asText()));
        case "image_url" -> parts.add(image(part.get("image_url"), where + "[" + j + "]"));
        default -> throw invalid("content part type '" + type + "' in '" + where + "[" + j
            + "]' is not supported by the Gemini backend", "messages");
      }
    }
    return parts;
  }

  /**
   * Data URLs become {@code inlineData}; http(s) URLs and Cloud Storage {@code gs://} URIs
   * {@code fileData} with a type guessed from the extension.
   */
  private static ObjectNode image(JsonNode imageUrl, String where) throws TranslationException {
    String url = imageUrl == null ? null : imageUrl.isTextual() ? imageUrl.asText() : text(imageUrl.get("url"));
    if (url == null) {
      throw invalid("'" + where + ".image_url.url' is required", "messages");
    }
    ObjectNode part = Json.MAPPER.createObjectNode();
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring("data:".length(), comma);
      if (!meta.endsWith(";base64") || meta.length() == ";base64".length()) {
        throw invalid("'" + where + ".image_url.url' must be a base64 data URL"
            + " (data:<media type>;base64,...) or an http(s) URL", "messages");
      }
      part.putObject("inlineData").put("mimeType", mediaType(meta.substring(0, meta.length() - ";base64".length())))
          .put("data", url.substring(comma + 1));
    } else if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("gs://")) {
      part.putObject("fileData").put("mimeType", guessImageType(url)).put("fileUri", url);
    } else {
      throw invalid("'" + where + ".image_url.url' must be a base64 data URL, an http(s) URL or a gs:// URI",
          "messages");
    }
    return part;
  }

  /** The registered name of a media type clients often misspell: {@code image/jpg} is {@code image/jpeg}, which Gemini requires. */
  static String mediaType(String type) {
    return type.equalsIgnoreCase("image/jpg") ? "image/jpeg" : type;
  }

  static String guessImageType(String url) {
    String path = url.replaceFirst("[?#].*$", "").toLowerCase(Locale.ROOT);
    String ext = path.substring(path.lastIndexOf('.') + 1);
    return switch (ext) {
      case "png" -> "image/png";
      case "webp" -> "image/webp";
      case "gif" -> "image/gif";
      case "heic" -> "image/heic";
      case "heif" -> "image/heif";
      default -> "image/jpeg";
    };
  }

  private List<ObjectNode> assistantParts(JsonNode message, String where) throws TranslationException {
    var parts = new java.util.ArrayList<ObjectNode>();
    for (String text : texts(message.get("content"), where + ".content")) {
      if (!text.isEmpty()) { // Gemini refuses empty parts; "" often sits beside tool_calls
        parts.add(textPart(text));
      }
    }
    JsonNode calls = message.get("tool_calls");
    if (calls == null || calls.isNull()) {
      return parts;
    }
    requireArray(calls, where + ".tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      JsonNode call = calls.get(j);
      String at = where + ".tool_calls[" + j + "]";
      JsonNode function = call.path("function");
      String id = text(call.get("id"));
      String name = text(function.get("name"));
      if (id == null || name == null) {
        throw invalid("'" + at + "' needs an 'id' and a 'function.name'", "messages");
      }
      callNames.put(id, name);
      ObjectNode part = Json.MAPPER.createObjectNode();
      ObjectNode functionCall = part.putObject("functionCall").put("name", name);
      functionCall.set("args", arguments(function.get("arguments"), at));
      parts.add(part);
    }
    return parts;
  }

  private static JsonNode arguments(JsonNode arguments, String where) throws TranslationException {
    return PivotRequests.toolArguments(arguments, where);
  }


  private ObjectNode functionResponse(JsonNode message, String where) throws TranslationException {
    String id = text(message.get("tool_call_id"));
    if (id == null) {
      throw invalid("'" + where + ".tool_call_id' is required for tool messages", "messages");
    }
    String name = callNames.get(id);
    if (name == null) {
      throw invalid("'" + where + ".tool_call_id' does not match a tool call of an earlier assistant message",
          "messages");
    }
    ObjectNode part = Json.MAPPER.createObjectNode();
    ObjectNode response = part.putObject("functionResponse").put("name", name).putObject("response");
    response.put("content", String.join("", texts(message.get("content"), where + ".content")));
    return part;
  }

  private static List<String> texts(JsonNode content, String where) throws TranslationException {
    return PivotRequests.textParts(content, where, "Gemini");
  }


  // ---- tools and generation config ----

  private void tools() throws TranslationException {
    JsonNode tools = in.get("tools");
    if (tools != null && !tools.isNull()) {
      requireArray(tools, "tools");
      ArrayNode declarations = Json.MAPPER.createArrayNode();
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        JsonNode function = tool.path("function");
        String name = text(function.get("name"));
        if (!"function".equals(text(tool.get("type"))) || name == null) {
          throw invalid("'tools[" + i + "]' must be a function tool with a name", "tools");
        }
        ObjectNode declaration = declarations.addObject().put("name", name);
        String description = text(function.get("description"));
        if (description != null) {
          declaration.put("description", description);
        }
        JsonNode parameters = function.get("parameters");
        if (parameters != null && parameters.isObject() && !parameters.isEmpty()) {
          declaration.set("parameters", schema(parameters, "tools"));
        }
      }
      if (!declarations.isEmpty()) {
        out.putArray("tools").addObject().set("functionDeclarations", declarations);
      }
    }
    JsonNode choice = in.get("tool_choice");
    ObjectNode config = null;
    if (choice != null && choice.isTextual()) {
      config = Json.MAPPER.createObjectNode().put("mode", switch (choice.asText()) {
        case "auto" -> "AUTO";
        case "required" -> "ANY";
        case "none" -> "NONE";
        default -> throw invalid("'tool_choice' must be auto, required, none or a function", "tool_choice");
      });
    } else if (choice != null && choice.isObject()) {
      String name = text(choice.path("function").get("name"));
      if (!"function".equals(text(choice.get("type"))) || name == null) {
        throw invalid("'tool_choice' must be auto, required, none or a function", "tool_choice");
      }
      config = Json.MAPPER.createObjectNode().put("mode", "ANY");
      config.putArray("allowedFunctionNames").add(name);
    }
    if (config != null) {
      out.putObject("toolConfig").set("functionCallingConfig", config);
    }
  }

  private ObjectNode generationConfig() throws TranslationException {
    ObjectNode config = Json.MAPPER.createObjectNode();
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode value = in.get(field);
      if (value != null && !value.isNull()) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
          throw invalid("'" + field + "' must be a positive integer", field);
        }
        config.put("maxOutputTokens", value.asInt());
        break;
      }
    }
    copyNumber("temperature", "temperature", config);
    copyNumber("top_p", "topP", config);
    copyNumber("presence_penalty", "presencePenalty", config);
    copyNumber("frequency_penalty", "frequencyPenalty", config);
    copyNumber("seed", "seed", config);
    JsonNode stop = in.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode sequences = config.putArray("stopSequences");
      if (stop.isTextual()) {
        sequences.add(stop.asText());
      } else {
        requireArray(stop, "stop");
        for (JsonNode s : stop) {
          if (!s.isTextual()) {
            throw invalid("'stop' must be a string or an array of strings", "stop");
          }
          sequences.add(s.asText());
        }
      }
    }
    thinking(config);
    JsonNode format = in.get("response_format");
    if (format != null && !format.isNull()) {
      switch (String.valueOf(text(format.get("type")))) {
        case "text" -> { }
        case "json_object" -> config.put("responseMimeType", "application/json");
        case "json_schema" -> {
          JsonNode schema = format.path("json_schema").get("schema");
          if (schema == null || !schema.isObject()) {
            throw invalid("'response_format.json_schema.schema' must be an object", "response_format");
          }
          config.put("responseMimeType", "application/json");
          config.set("responseSchema", schema(schema, "response_format"));
        }
        default -> throw invalid("'response_format.type' must be text, json_object or json_schema",
            "response_format");
      }
    }
    return config;
  }

  /**
   * The pivot's {@code thinking} (a budget, or disabled) else {@code reasoning_effort} as
   * {@code thinkingConfig}: a budget is {@code thinkingBudget} with {@code includeThoughts} (the
   * client asked for reasoning, so it gets the thoughts back as {@code reasoning_content});
   * disabled is a budget of 0; an effort is the budget docs/providers.md pairs with it (minimal and
   * low 1024, medium 2048, high 4096).
   */
  private void thinking(ObjectNode config) throws TranslationException {
    JsonNode thinking = in.get("thinking");
    int budget;
    if (thinking != null && thinking.isObject()) {
      String type = thinking.path("type").asText("");
      if (type.equals("disabled")) {
        config.putObject("thinkingConfig").put("thinkingBudget", 0);
        return;
      }
      JsonNode tokens = thinking.get("budget_tokens");
      if (!type.equals("enabled") || tokens == null || !tokens.canConvertToInt() || tokens.asInt() < 0) {
        throw invalid("'thinking' must be {type: enabled, budget_tokens: N} or {type: disabled}", "thinking");
      }
      budget = tokens.asInt();
    } else {
      String effort = text(in.get("reasoning_effort"));
      if (effort == null) {
        return;
      }
      budget = switch (effort) {
        case "minimal", "low" -> 1024;
        case "medium" -> 2048;
        case "high" -> 4096;
        default -> throw invalid("'reasoning_effort' must be minimal, low, medium or high", "reasoning_effort");
      };
    }
    config.putObject("thinkingConfig").put("thinkingBudget", budget).put("includeThoughts", true);
  }

  /** The JSON Schema as Gemini's Schema subset: see {@link GeminiSchema}. */
  static JsonNode schema(JsonNode schema, String param) throws TranslationException {
    return GeminiSchema.of(schema, param);
  }

  private void copyNumber(String field, String to, ObjectNode config) throws TranslationException {
    JsonNode value = in.get(field);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber()) {
      throw invalid("'" + field + "' must be a number", field);
    }
    config.set(to, value);
  }

  // ---- helpers ----

  private static ObjectNode textPart(String text) {
    return Json.MAPPER.createObjectNode().put("text", text);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static void requireArray(JsonNode node, String where) throws TranslationException {
    PivotRequests.requireArray(node, where);
  }


  private static TranslationException invalid(String message, String param) {
    return PivotRequests.invalid(message, param);
  }
}
