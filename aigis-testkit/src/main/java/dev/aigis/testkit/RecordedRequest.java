package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as {@link FakeOpenAiUpstream} received it.
 *
 * @param method HTTP method, e.g. {@code POST}
 * @param path path with the query string, e.g. {@code /v1/models?limit=2}
 * @param headers header values by lowercase name, in arrival order
 * @param body the whole request body (empty, never {@code null})
 */
public record RecordedRequest(
    String method, String path, Map<String, List<String>> headers, byte[] body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** First value of the header, or {@code null}; the name is case-insensitive. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The body parsed as JSON; throws if it is not JSON. */
  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("request body is not JSON: " + bodyText(), e);
    }
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Shows the body as text: the default would print the array's identity. */
  @Override
  public String toString() {
    String text = bodyText();
    return method + " " + path + " " + headers + " "
        + (text.length() > 500 ? text.substring(0, 500) + "…" : text);
  }
}
