package dev.aigis.core.provider.gemini.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * A Gemini {@code GenerateContentRequest} as an OpenAI chat request; the mapping and what is
 * dropped or refused are on {@link GeminiInboundCodec}. One instance per request (it numbers the
 * tool calls it meets). Error messages name fields, never their content.
 */
final class GeminiToPivot {

  private final ObjectNode out = Json.MAPPER.createObjectNode();
  private final ArrayNode messages = out.putArray("messages");
  /** Ids of calls not answered yet, by function name: Gemini pairs a response with its call by name (or id). */
  private final Map<String, ArrayDeque<String>> openCalls = new HashMap<>();
  private int calls;

  private GeminiToPivot() {}

  /**
   * @param model the model the path names
   * @param stream whether the method streams
   */
  static ObjectNode translate(JsonNode request, String model, boolean stream) throws TranslationException {
    if (!(request instanceof ObjectNode in)) {
      throw invalid("Request body must be a JSON object", null);
    }
    return new GeminiToPivot().run(in, model, stream);
  }

  private ObjectNode run(ObjectNode in, String model, boolean stream) throws TranslationException {
    if (model != null) {
      out.put("model", model);
    }
    refuse(in, "cachedContent", "a Gemini cachedContent exists only on Google's side");
    system(in.get("systemInstruction"));
    JsonNode contents = in.get("contents");
    if (contents == null || !contents.isArray() || contents.isEmpty()) {
      throw invalid("* GenerateContentRequest.contents: contents is not specified", "contents");
    }
    for (int i = 0; i < contents.size(); i++) {
      content(contents.get(i), "contents[" + i + "]");
    }
    tools(in.get("tools"));
    toolConfig(in.path("toolConfig").get("functionCallingConfig"));
    generationConfig(in.get("generationConfig"));
    if (stream) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    return out;
  }

  // ---- contents ----

  private void system(JsonNode instruction) throws TranslationException {
    if (instruction == null || instruction.isNull()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    JsonNode parts = instruction.isTextual() ? null : instruction.get("parts");
    if (instruction.isTextual()) {
      text.append(instruction.asText());
    } else if (parts != null && parts.isArray()) {
      for (int i = 0; i < parts.size(); i++) {
        JsonNode part = parts.get(i);
        if (!part.path("text").isTextual()) {
          throw invalid("'systemInstruction.parts[" + i + "]' must be a text part", "systemInstruction");
        }
        text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asText());
      }
    } else {
      throw invalid("'systemInstruction' must be a Content with text parts", "systemInstruction");
    }
    messages.addObject().put("role", "system").put("content", text.toString());
  }

  private void content(JsonNode content, String where) throws TranslationException {
    String role = content.path("role").asText("user");
    JsonNode parts = content.get("parts");
    if (parts == null || !parts.isArray() || parts.isEmpty()) {
      throw invalid("'" + where + ".parts' must be a non-empty array", "contents");
    }
    switch (role) {
      case "user", "function", "" -> user(parts, where); // "function": older clients' turn of function responses
      case "model" -> model(parts, where);
      default -> throw invalid("'" + where + ".role' must be user, model or function", "contents");
    }
  }

  /** Function responses become tool messages before the rest of the turn (they answer the previous model turn). */
  private void user(JsonNode parts, String where) throws TranslationException {
    ArrayNode rest = Json.MAPPER.createArrayNode();
    for (int j = 0; j < parts.size(); j++) {
      JsonNode part = parts.get(j);
      String at = where + ".parts[" + j + "]";
      if (part.has("functionResponse")) {
        functionResponse(part.get("functionResponse"), at);
      } else if (part.path("text").isTextual()) {
        if (!part.path("thought").asBoolean(false)) {
          rest.addObject().put("type", "text").put("text", part.get("text").asText());
        }
      } else if (part.has("inlineData")) {
        rest.add(inlineData(part.get("inlineData"), at));
      } else if (part.has("fileData")) {
        rest.add(fileData(part.get("fileData"), at));
      } else if (part.has("functionCall")) {
        throw invalid("'" + at + ".functionCall' is only allowed in model turns", "contents");
      } else {
        throw invalid("'" + at + "' is a part this gateway cannot translate (text, inlineData, fileData,"
            + " functionCall and functionResponse are)", "contents");
      }
    }
    if (rest.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "user");
    if (rest.size() == 1 && rest.get(0).path("type").asText().equals("text")) {
      message.put("content", rest.get(0).path("text").asText());
    } else {
      message.set("content", rest);
    }
  }

  private void model(JsonNode parts, String where) throws TranslationException {
    StringBuilder text = null;
    StringBuilder reasoning = null;
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    for (int j = 0; j < parts.size(); j++) {
      JsonNode part = parts.get(j);
      String at = where + ".parts[" + j + "]";
      if (part.path("text").isTextual()) {
        if (part.path("thought").asBoolean(false)) {
          reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(part.get("text").asText());
        } else {
          text = (text == null ? new StringBuilder() : text).append(part.get("text").asText());
        }
      } else if (part.has("functionCall")) {
        toolCalls.add(functionCall(part.get("functionCall"), at));
      } else if (part.has("thoughtSignature") && part.size() == 1) {
        continue; // a bare signature: lost, as documented
      } else {
        throw invalid("'" + at + "' is a part a model turn cannot carry here (text and functionCall are)", "contents");
      }
    }
    ObjectNode message = messages.addObject().put("role", "assistant");
    message.put("content", text == null ? null : text.toString());
    if (reasoning != null) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
  }

  private ObjectNode functionCall(JsonNode call, String where) throws TranslationException {
    String name = call.path("name").asText(null);
    if (name == null || name.isEmpty()) {
      throw invalid("'" + where + ".functionCall.name' is required", "contents");
    }
    JsonNode args = call.get("args");
    if (args != null && !args.isNull() && !args.isObject()) {
      throw invalid("'" + where + ".functionCall.args' must be an object", "contents");
    }
    String id = call.path("id").asText("");
    if (id.isEmpty()) {
      id = "call_" + calls;
    }
    calls++;
    openCalls.computeIfAbsent(name, n -> new ArrayDeque<>()).add(id);
    ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put("type", "function");
    out.putObject("function").put("name", name).put("arguments", compact(args == null || args.isNull()
        ? Json.MAPPER.createObjectNode() : args));
    return out;
  }

  /** A tool message answering the call with this response's id, else the oldest open call of that name. */
  private void functionResponse(JsonNode response, String where) throws TranslationException {
    String name = response.path("name").asText(null);
    if (name == null || name.isEmpty()) {
      throw invalid("'" + where + ".functionResponse.name' is required", "contents");
    }
    ArrayDeque<String> open = openCalls.get(name);
    String id = response.path("id").asText("");
    if (!id.isEmpty()) {
      if (open != null) {
        open.remove(id);
      }
    } else if (open != null && !open.isEmpty()) {
      id = open.poll();
    } else {
      throw invalid("'" + where + ".functionResponse' answers no earlier functionCall named '" + name + "'",
          "contents");
    }
    JsonNode body = response.get("response");
    String text = body == null || body.isNull() ? "{}" : compact(body);
    messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", text);
  }

  /** Images as data URLs; other media (PDF, audio) as OpenAI {@code file} parts for backends that take them. */
  private static ObjectNode inlineData(JsonNode data, String where) throws TranslationException {
    String mime = data.path("mimeType").asText("");
    String base64 = data.path("data").asText(null);
    if (mime.isEmpty() || base64 == null) {
      throw invalid("'" + where + ".inlineData' needs a mimeType and data", "contents");
    }
    String url = "data:" + mime + ";base64," + base64;
    ObjectNode part = Json.MAPPER.createObjectNode();
    if (mime.startsWith("image/")) {
      part.put("type", "image_url").putObject("image_url").put("url", url);
    } else {
      part.put("type", "file").putObject("file").put("file_data", url);
    }
    return part;
  }

  /** A file URI (http(s), or gs:// for backends that can fetch it) as an image URL; only images translate. */
  private static ObjectNode fileData(JsonNode data, String where) throws TranslationException {
    String uri = data.path("fileUri").asText(null);
    String mime = data.path("mimeType").asText("");
    if (uri == null) {
      throw invalid("'" + where + ".fileData.fileUri' is required", "contents");
    }
    if (!mime.isEmpty() && !mime.startsWith("image/")) {
      throw invalid("'" + where + ".fileData' of type " + mime + " cannot be translated; only images can",
          "contents");
    }
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "image_url");
    part.putObject("image_url").put("url", uri);
    return part;
  }

  // ---- tools ----

  private void tools(JsonNode tools) throws TranslationException {
    if (tools == null || tools.isNull()) {
      return;
    }
    PivotRequests.requireArray(tools, "tools");
    ArrayNode functions = Json.MAPPER.createArrayNode();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      for (Iterator<String> names = tool.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("functionDeclarations")) {
          throw invalid("'tools[" + i + "]." + name + "' is a Google tool other backends do not have;"
              + " only functionDeclarations translate", "tools");
        }
      }
      JsonNode declarations = tool.path("functionDeclarations");
      for (int j = 0; j < declarations.size(); j++) {
        JsonNode declaration = declarations.get(j);
        String name = declaration.path("name").asText(null);
        if (name == null || name.isEmpty()) {
          throw invalid("'tools[" + i + "].functionDeclarations[" + j + "].name' is required", "tools");
        }
        ObjectNode function = functions.addObject().put("type", "function").putObject("function").put("name", name);
        if (declaration.path("description").isTextual()) {
          function.put("description", declaration.get("description").asText());
        }
        JsonNode json = declaration.get("parametersJsonSchema");
        JsonNode schema = declaration.get("parameters");
        if (json != null && json.isObject()) {
          function.set("parameters", json.deepCopy());
        } else if (schema != null && schema.isObject()) {
          function.set("parameters", GeminiSchemas.toJsonSchema(schema));
        }
      }
    }
    if (!functions.isEmpty()) {
      out.set("tools", functions);
    }
  }

  /**
   * AUTO, ANY, NONE become auto, required, none; ANY (or VALIDATED) limited to one function names
   * it; a limit to several functions is dropped (the pivot names one or all).
   */
  private void toolConfig(JsonNode config) throws TranslationException {
    if (config == null || config.isNull()) {
      return;
    }
    String mode = config.path("mode").asText("AUTO");
    JsonNode allowed = config.path("allowedFunctionNames");
    switch (mode) {
      case "AUTO", "MODE_UNSPECIFIED" -> out.put("tool_choice", "auto");
      case "NONE" -> out.put("tool_choice", "none");
      case "ANY", "VALIDATED" -> {
        if (allowed.isArray() && allowed.size() == 1) {
          out.putObject("tool_choice").put("type", "function").putObject("function")
              .put("name", allowed.get(0).asText());
        } else {
          out.put("tool_choice", "required");
        }
      }
      default -> throw invalid("'toolConfig.functionCallingConfig.mode' must be AUTO, ANY, NONE or VALIDATED",
          "toolConfig");
    }
  }

  // ---- generation config ----

  private void generationConfig(JsonNode config) throws TranslationException {
    if (config == null || config.isNull()) {
      return;
    }
    if (!config.isObject()) {
      throw invalid("'generationConfig' must be an object", "generationConfig");
    }
    JsonNode candidates = config.get("candidateCount");
    if (candidates != null && !candidates.isNull() && candidates.asInt(1) != 1) {
      throw invalid("'generationConfig.candidateCount' other than 1 cannot be translated", "generationConfig");
    }
    JsonNode modalities = config.get("responseModalities");
    if (modalities != null && modalities.isArray()) {
      for (JsonNode modality : modalities) {
        if (!"TEXT".equals(modality.asText())) {
          throw invalid("'generationConfig.responseModalities' other than TEXT cannot be translated",
              "generationConfig");
        }
      }
    }
    number(config, "temperature", "temperature");
    number(config, "topP", "top_p");
    number(config, "presencePenalty", "presence_penalty");
    number(config, "frequencyPenalty", "frequency_penalty");
    number(config, "seed", "seed");
    JsonNode max = config.get("maxOutputTokens");
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt() || max.asInt() < 1) {
        throw invalid("'generationConfig.maxOutputTokens' must be a positive integer", "generationConfig");
      }
      out.put("max_tokens", max.asInt());
    }
    JsonNode stop = config.get("stopSequences");
    if (stop != null && stop.isArray() && !stop.isEmpty()) {
      out.set("stop", stop.deepCopy());
    }
    responseFormat(config);
    thinking(config.get("thinkingConfig"));
  }

  private void responseFormat(JsonNode config) throws TranslationException {
    String mime = config.path("responseMimeType").asText("text/plain");
    JsonNode json = config.get("responseJsonSchema");
    JsonNode schema = config.get("responseSchema");
    boolean hasSchema = (json != null && json.isObject()) || (schema != null && schema.isObject());
    if (!mime.equals("application/json")) {
      if (!mime.equals("text/plain") || hasSchema) {
        throw invalid("'generationConfig.responseMimeType' " + mime + " cannot be translated"
            + " (text/plain and application/json can)", "generationConfig");
      }
      return;
    }
    if (!hasSchema) {
      out.putObject("response_format").put("type", "json_object");
      return;
    }
    ObjectNode format = out.putObject("response_format").put("type", "json_schema");
    format.putObject("json_schema").put("name", "response")
        .set("schema", json != null && json.isObject() ? json.deepCopy() : GeminiSchemas.toJsonSchema(schema));
  }

  /**
   * {@code thinkingBudget} N > 0 becomes {@code thinking} enabled with that budget and the effort it
   * amounts to; 0 {@code thinking} disabled; -1 (dynamic) effort medium. {@code thinkingLevel}
   * low/high becomes that effort. {@code includeThoughts} needs nothing: reasoning the backend
   * returns always comes back as thought parts.
   */
  private void thinking(JsonNode config) {
    if (config == null || !config.isObject()) {
      return;
    }
    JsonNode budget = config.get("thinkingBudget");
    if (budget != null && budget.canConvertToInt()) {
      int tokens = budget.asInt();
      if (tokens == 0) {
        out.putObject("thinking").put("type", "disabled");
      } else if (tokens < 0) {
        out.put("reasoning_effort", "medium");
      } else {
        out.putObject("thinking").put("type", "enabled").put("budget_tokens", tokens);
        out.put("reasoning_effort", tokens < 2048 ? "low" : tokens < 4096 ? "medium" : "high");
      }
      return;
    }
    String level = config.path("thinkingLevel").asText("").toLowerCase(Locale.ROOT);
    if (level.equals("low") || level.equals("medium") || level.equals("high") || level.equals("minimal")) {
      out.put("reasoning_effort", level);
    }
  }

  private void number(JsonNode config, String from, String to) throws TranslationException {
    JsonNode value = config.get(from);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber()) {
      throw invalid("'generationConfig." + from + "' must be a number", "generationConfig");
    }
    out.set(to, value);
  }

  private static void refuse(ObjectNode in, String field, String why) throws TranslationException {
    if (in.hasNonNull(field)) {
      throw invalid("'" + field + "' cannot be translated: " + why, field);
    }
  }

  static String compact(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree always serialises
    }
  }

  static TranslationException invalid(String message, String param) {
    return PivotRequests.invalid(message, param);
  }
}
