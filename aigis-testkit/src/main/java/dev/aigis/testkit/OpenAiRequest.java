package dev.aigis.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The few request fields the fake answers depend on, read with Jackson's streaming parser: no
 * tree is built, yet the whole body is tokenised, so malformed JSON is still rejected. Tool use
 * ({@code tools}, {@code tool_choice}, {@code tool} messages) and image parts are checked as
 * OpenAI checks them; the first problem is thrown after the whole body parsed.
 *
 * @param model {@code model}, or {@code null}
 * @param stream {@code stream}
 * @param includeUsage {@code stream_options.include_usage}
 * @param messages number of {@code messages}, or -1 when absent
 * @param hasPrompt {@code prompt} present
 * @param inputHashes one hash per embedding input, or {@code null} when {@code input} is absent
 * @param dimensions {@code dimensions}, or 0
 * @param base64 {@code encoding_format} is {@code base64}
 * @param promptChars characters of text in messages, prompt and input (tokens count 4 each)
 */
record OpenAiRequest(
    String model,
    boolean stream,
    boolean includeUsage,
    int messages,
    boolean hasPrompt,
    int[] inputHashes,
    int dimensions,
    boolean base64,
    int promptChars) {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** Rough OpenAI-like estimate: four characters a token. */
  int estimatedPromptTokens() {
    return Math.max(1, (promptChars + 3) / 4);
  }

  static OpenAiRequest parse(byte[] body) throws InvalidRequest {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw InvalidRequest.notJson();
      }
      var b = new Builder();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "model" -> b.model = string(p, value, "model");
          case "stream" -> b.stream = bool(p, value, "stream");
          case "stream_options" -> b.includeUsage = includeUsage(p, value);
          case "messages" -> b.messages = messages(p, value, b);
          case "prompt" -> {
            b.hasPrompt = value != JsonToken.VALUE_NULL;
            b.promptChars += textChars(p);
          }
          case "input" -> b.inputHashes = inputs(p, value, b);
          case "dimensions" -> b.dimensions = value.isNumeric() ? p.getIntValue() : 0;
          case "tools" -> tools(p, value, b);
          case "tool_choice" -> toolChoice(p, value, b);
          case "encoding_format" ->
              b.base64 = value == JsonToken.VALUE_STRING && "base64".equals(p.getText());
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw InvalidRequest.notJson();
      }
      if (b.invalid != null) {
        throw b.invalid;
      }
      return new OpenAiRequest(b.model, b.stream, b.includeUsage, b.messages, b.hasPrompt,
          b.inputHashes, b.dimensions, b.base64, b.promptChars);
    } catch (IOException e) {
      throw InvalidRequest.notJson();
    }
  }

  private static String string(JsonParser p, JsonToken value, String field)
      throws IOException, InvalidRequest {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      p.skipChildren();
      throw InvalidRequest.invalidType(field, "a string");
    }
    return p.getText();
  }

  private static boolean bool(JsonParser p, JsonToken value, String field)
      throws IOException, InvalidRequest {
    if (value == JsonToken.VALUE_NULL) {
      return false;
    }
    if (!value.isBoolean()) {
      throw InvalidRequest.invalidType(field, "a boolean");
    }
    return p.getBooleanValue();
  }

  private static boolean includeUsage(JsonParser p, JsonToken value)
      throws IOException, InvalidRequest {
    boolean include = false;
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("include_usage")) {
        include = bool(p, v, "stream_options.include_usage");
      } else {
        p.skipChildren();
      }
    }
    return include;
  }

  private static int messages(JsonParser p, JsonToken value, Builder b)
      throws IOException, InvalidRequest {
    if (value == JsonToken.VALUE_NULL) {
      return -1;
    }
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      throw InvalidRequest.invalidType("messages", "an array");
    }
    int count = 0;
    // The tool_calls ids a tool message here may answer: those of the assistant message before
    // this run of tool messages.
    Set<String> answerable = Set.of();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), count++) {
      if (t != JsonToken.START_OBJECT) {
        b.promptChars += textChars(p);
        answerable = Set.of();
        continue;
      }
      Message m = message(p, b, count);
      if (!"tool".equals(m.role)) {
        answerable = "assistant".equals(m.role) ? m.toolCallIds : Set.of();
      } else if (m.toolCallId == null) {
        b.fail(InvalidRequest.missing("messages.[" + count + "].tool_call_id"));
      } else if (!answerable.contains(m.toolCallId)) {
        b.fail(new InvalidRequest("Invalid parameter: messages with role 'tool' must be a"
            + " response to a preceeding message with 'tool_calls'.",
            "messages.[" + count + "].role", null));
      }
    }
    return count;
  }

  private record Message(String role, String toolCallId, Set<String> toolCallIds) {}

  /** One message object, the parser on its START_OBJECT; counts its text, checks image parts. */
  private static Message message(JsonParser p, Builder b, int index) throws IOException {
    String role = null;
    String toolCallId = null;
    Set<String> ids = Set.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "role" -> role = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "tool_call_id" -> toolCallId = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "tool_calls" -> {
          ids = toolCallIds(p, v, b);
          continue;
        }
        case "content" -> {
          if (v == JsonToken.START_ARRAY) {
            contentParts(p, b, index);
            continue;
          }
        }
        default -> {}
      }
      b.promptChars += textChars(p);
    }
    return new Message(role, toolCallId, ids);
  }

  /** The ids in an assistant message's {@code tool_calls}; counts the calls' text. */
  private static Set<String> toolCallIds(JsonParser p, JsonToken value, Builder b)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      b.promptChars += textChars(p);
      return Set.of();
    }
    Set<String> ids = new HashSet<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        b.promptChars += textChars(p);
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("id")) {
          ids.add(p.getText());
        }
        b.promptChars += textChars(p);
      }
    }
    return ids;
  }

  /** Content parts, the parser on the array's start: an image part needs a data: or http url. */
  private static void contentParts(JsonParser p, Builder b, int message) throws IOException {
    int part = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), part++) {
      if (t != JsonToken.START_OBJECT) {
        b.promptChars += textChars(p);
        continue;
      }
      String type = null;
      String url = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("type") && v == JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if (name.equals("image_url") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && field.equals("url")) {
              url = p.getText();
            }
            b.promptChars += textChars(p);
          }
          continue;
        }
        b.promptChars += textChars(p);
      }
      if ("image_url".equals(type)) {
        String param = "messages[" + message + "].content[" + part + "].image_url.url";
        if (url == null) {
          b.fail(InvalidRequest.missing(param));
        } else if (!url.startsWith("data:") && !url.startsWith("http")) {
          b.fail(new InvalidRequest("Invalid '" + param + "'. Expected a base64-encoded data URL"
              + " with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='),"
              + " but got a value without the 'data:' prefix.", param, "invalid_value"));
        }
      }
    }
  }

  /** {@code tools}: each a {@code function} with a name. Not counted as prompt text. */
  private static void tools(JsonParser p, JsonToken value, Builder b) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      b.fail(InvalidRequest.invalidType("tools", "an array"));
      return;
    }
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
      String param = "tools[" + i + "]";
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        b.fail(InvalidRequest.invalidType(param, "an object"));
        continue;
      }
      FunctionRef f = functionRef(p);
      if (f.type == null) {
        b.fail(InvalidRequest.missing(param + ".type"));
      } else if (!f.type.equals("function")) {
        b.fail(invalidValue(param + ".type", f.type, "'function'"));
      } else if (!f.hasFunction) {
        b.fail(InvalidRequest.missing(param + ".function"));
      } else if (f.name == null) {
        b.fail(InvalidRequest.missing(param + ".function.name"));
      }
    }
  }

  /** {@code tool_choice}: {@code none}, {@code auto}, {@code required} or a named function. */
  private static void toolChoice(JsonParser p, JsonToken value, Builder b) throws IOException {
    switch (value) {
      case VALUE_NULL -> {}
      case VALUE_STRING -> {
        String choice = p.getText();
        if (!choice.equals("none") && !choice.equals("auto") && !choice.equals("required")) {
          b.fail(invalidValue("tool_choice", choice, "'none', 'auto', and 'required'"));
        }
      }
      case START_OBJECT -> {
        FunctionRef f = functionRef(p);
        if (f.type == null) {
          b.fail(InvalidRequest.missing("tool_choice.type"));
        } else if (!f.type.equals("function")) {
          b.fail(invalidValue("tool_choice.type", f.type, "'function'"));
        } else if (!f.hasFunction) {
          b.fail(InvalidRequest.missing("tool_choice.function"));
        } else if (f.name == null) {
          b.fail(InvalidRequest.missing("tool_choice.function.name"));
        }
      }
      default -> {
        p.skipChildren();
        b.fail(InvalidRequest.invalidType("tool_choice", "a string or an object"));
      }
    }
  }

  private record FunctionRef(String type, boolean hasFunction, String name) {}

  /** {@code {"type":…,"function":{"name":…}}}, the parser on its START_OBJECT; skips the rest. */
  private static FunctionRef functionRef(JsonParser p) throws IOException {
    String type = null;
    boolean hasFunction = false;
    String name = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("type") && v == JsonToken.VALUE_STRING) {
        type = p.getText();
      } else if (field.equals("function") && v == JsonToken.START_OBJECT) {
        hasFunction = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          if (p.nextToken() == JsonToken.VALUE_STRING && f.equals("name")) {
            name = p.getText();
          }
          p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    return new FunctionRef(type, hasFunction, name);
  }

  private static InvalidRequest invalidValue(String param, String value, String supported) {
    return new InvalidRequest("Invalid value: '" + value + "'. Supported values are: " + supported
        + ".", param, "invalid_value");
  }

  /** Sums the text in the current value (scalar or container) and leaves the parser at its end. */
  private static int textChars(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getTextLength();
    }
    if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
      return t == JsonToken.VALUE_NUMBER_INT ? 4 : 0;
    }
    int chars = 0;
    for (int depth = 1; depth > 0; ) {
      t = p.nextToken();
      if (t == null) {
        throw new IOException("unexpected end of input");
      }
      switch (t) {
        case START_ARRAY, START_OBJECT -> depth++;
        case END_ARRAY, END_OBJECT -> depth--;
        case VALUE_STRING -> chars += p.getTextLength();
        case VALUE_NUMBER_INT -> chars += 4;
        default -> {}
      }
    }
    return chars;
  }

  /** Embedding inputs: a string, a token array, or an array of either. */
  private static int[] inputs(JsonParser p, JsonToken value, Builder b)
      throws IOException, InvalidRequest {
    switch (value) {
      case VALUE_NULL -> {
        return null;
      }
      case VALUE_STRING -> {
        b.promptChars += p.getTextLength();
        return new int[] {hash(p)};
      }
      case START_ARRAY -> {}
      default -> throw InvalidRequest.invalidType("input", "a string or an array");
    }
    int[] hashes = new int[4];
    int n = 0;
    JsonToken t = p.nextToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      // A single input given as token ids.
      int h = 1;
      for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
        h = 31 * h + p.getIntValue();
        b.promptChars += 4;
      }
      return new int[] {h};
    }
    for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int h;
      if (t == JsonToken.VALUE_STRING) {
        b.promptChars += p.getTextLength();
        h = hash(p);
      } else if (t == JsonToken.START_ARRAY) {
        h = 1;
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          if (e != JsonToken.VALUE_NUMBER_INT) {
            throw InvalidRequest.invalidType("input", "token arrays of integers");
          }
          h = 31 * h + p.getIntValue();
          b.promptChars += 4;
        }
      } else {
        throw InvalidRequest.invalidType("input", "strings or token arrays");
      }
      if (n == hashes.length) {
        hashes = Arrays.copyOf(hashes, n * 2);
      }
      hashes[n++] = h;
    }
    return Arrays.copyOf(hashes, n);
  }

  private static int hash(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int h = 1;
    for (int i = p.getTextOffset(), end = i + p.getTextLength(); i < end; i++) {
      h = 31 * h + chars[i];
    }
    return h;
  }

  private static final class Builder {
    String model;
    boolean stream;
    boolean includeUsage;
    int messages = -1;
    boolean hasPrompt;
    int[] inputHashes;
    int dimensions;
    boolean base64;
    int promptChars;
    /** The first tool-use error; thrown once the whole body is known to be JSON. */
    InvalidRequest invalid;

    void fail(InvalidRequest e) {
      if (invalid == null) {
        invalid = e;
      }
    }
  }
}
