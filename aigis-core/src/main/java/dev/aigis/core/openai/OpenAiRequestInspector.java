package dev.aigis.core.openai;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import java.io.IOException;

/**
 * Reads {@code model}, {@code stream} and {@code stream_options.include_usage} from a request body
 * with Jackson's streaming parser. The whole body is tokenised, so malformed JSON anywhere is
 * refused with its position, but nothing below the top level is materialised.
 */
public final class OpenAiRequestInspector {

  private OpenAiRequestInspector() {}

  public static OpenAiRequest inspect(byte[] body) throws RequestRejected {
    return inspect(body, 0, body.length);
  }

  public static OpenAiRequest inspect(byte[] body, int offset, int length) throws RequestRejected {
    try (JsonParser p = Json.FACTORY.createParser(body, offset, length)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new RequestRejected(new GatewayError.InvalidRequest("Request body is empty; expected a JSON object", null));
      }
      if (first != JsonToken.START_OBJECT) {
        throw new RequestRejected(new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      }
      String model = null;
      boolean stream = false;
      boolean includeUsage = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "model" -> {
            if (value != JsonToken.VALUE_STRING) {
              throw new RequestRejected(new GatewayError.InvalidRequest("`model` must be a string", "model"));
            }
            model = p.getText();
          }
          case "stream" -> stream = value == JsonToken.VALUE_TRUE;
          case "stream_options" -> includeUsage = readIncludeUsage(p, value);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw malformed(p, "unexpected content after the JSON object");
      }
      return new OpenAiRequest(model, stream, includeUsage);
    } catch (JsonParseException e) {
      var location = e.getLocation();
      throw new RequestRejected(
          new GatewayError.MalformedJson(describe(e.getOriginalMessage()), location.getLineNr(), location.getColumnNr()));
    } catch (IOException e) {
      throw new RequestRejected(new GatewayError.MalformedJson(e.getMessage(), 0, 0));
    }
  }

  private static boolean readIncludeUsage(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    boolean includeUsage = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken inner = p.nextToken();
      if ("include_usage".equals(field)) {
        includeUsage = inner == JsonToken.VALUE_TRUE;
      } else {
        p.skipChildren();
      }
    }
    return includeUsage;
  }

  /** Jackson's message without its "(for ... starting at [Source: ...])" tail, which repeats positions. */
  static String describe(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    int cut = message.indexOf(" (for ");
    if (cut < 0) {
      cut = message.indexOf(" at [Source");
    }
    String head = cut < 0 ? message : message.substring(0, cut);
    int newline = head.indexOf('\n');
    return newline < 0 ? head : head.substring(0, newline);
  }

  private static RequestRejected malformed(JsonParser p, String detail) {
    var location = p.currentLocation();
    return new RequestRejected(new GatewayError.MalformedJson(detail, location.getLineNr(), location.getColumnNr()));
  }
}
