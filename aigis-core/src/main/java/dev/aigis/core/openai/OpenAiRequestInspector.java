package dev.aigis.core.openai;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
          case "messages" -> checkMessages(p, value);
          case "stream_options" -> includeUsage = readIncludeUsage(p, value);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw malformed(p, "unexpected content after the JSON object");
      }
      return new OpenAiRequest(model, stream, includeUsage);
    } catch (StreamConstraintsException e) {
      throw new RequestRejected(new GatewayError.InvalidRequest(limit(e.getOriginalMessage()), null));
    } catch (JsonParseException e) {
      var location = e.getLocation();
      throw new RequestRejected(
          new GatewayError.MalformedJson(describe(e.getOriginalMessage()), location.getLineNr(), location.getColumnNr()));
    } catch (IOException e) {
      throw new RequestRejected(new GatewayError.MalformedJson(e.getMessage(), 0, 0));
    }
  }

  /**
   * {@code messages}, wherever it appears at the top level (OpenAI chat, Anthropic messages,
   * threads), is a list of objects whose {@code role} is a string and whose {@code content} is a
   * string, a list of parts or null: anything else is refused here, once for every backend, so no
   * adapter or answer further on meets a shape it cannot read.
   */
  private static void checkMessages(JsonParser p, JsonToken value) throws IOException, RequestRejected {
    if (value != JsonToken.START_ARRAY) {
      throw invalid("Invalid type for 'messages': expected an array of message objects", "messages");
    }
    int index = 0;
    for (JsonToken message = p.nextToken(); message != JsonToken.END_ARRAY; message = p.nextToken(), index++) {
      if (message != JsonToken.START_OBJECT) {
        throw invalid("Invalid type for 'messages[" + index + "]': expected an object", "messages[" + index + "]");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken inner = p.nextToken();
        if ("role".equals(field) && inner != JsonToken.VALUE_STRING) {
          throw invalid("Invalid type for 'messages[" + index + "].role': expected a string",
              "messages[" + index + "].role");
        }
        if ("content".equals(field) && inner != JsonToken.VALUE_STRING && inner != JsonToken.START_ARRAY
            && inner != JsonToken.VALUE_NULL) {
          throw invalid("Invalid type for 'messages[" + index + "].content': expected a string or an array of content parts",
              "messages[" + index + "].content");
        }
        p.skipChildren();
      }
    }
  }

  private static RequestRejected invalid(String message, String param) {
    return new RequestRejected(new GatewayError.InvalidRequest(message, param));
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

  /** Jackson's constraint message without its ", from `StreamReadConstraints...`" tail, which names our internals. */
  static String limit(String message) {
    if (message == null) {
      return "Request body exceeds a JSON limit";
    }
    int cut = message.indexOf(", from `");
    return cut < 0 ? message : message.substring(0, cut) + ")";
  }

  private static RequestRejected malformed(JsonParser p, String detail) {
    var location = p.currentLocation();
    return new RequestRejected(new GatewayError.MalformedJson(detail, location.getLineNr(), location.getColumnNr()));
  }
}
