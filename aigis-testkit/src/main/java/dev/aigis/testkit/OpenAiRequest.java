package dev.aigis.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The few request fields the fake answers depend on, read with Jackson's streaming parser: no
 * tree is built, yet the whole body is tokenised, so malformed JSON is still rejected.
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
          case "encoding_format" ->
              b.base64 = value == JsonToken.VALUE_STRING && "base64".equals(p.getText());
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw InvalidRequest.notJson();
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
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      count++;
      b.promptChars += textChars(p);
    }
    return count;
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
  }
}
