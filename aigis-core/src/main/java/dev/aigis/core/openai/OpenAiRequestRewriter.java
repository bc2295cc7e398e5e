package dev.aigis.core.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body changes the gateway itself makes before a request goes upstream. Called only when a
 * change is needed, so the common case forwards the client's bytes untouched.
 */
public final class OpenAiRequestRewriter {

  private OpenAiRequestRewriter() {}

  /** Whether {@link #rewrite} would change anything. */
  public static boolean needed(OpenAiRequest request, String modelOverride, boolean askForUsage) {
    return (modelOverride != null && !modelOverride.equals(request.model()))
        || (askForUsage && !request.clientAskedForUsage());
  }

  /**
   * @param body a body {@link OpenAiRequestInspector} accepted
   * @param modelOverride replaces {@code model} when non-null
   * @param askForUsage sets {@code stream_options.include_usage: true}, keeping other stream options
   */
  public static byte[] rewrite(byte[] body, String modelOverride, boolean askForUsage) {
    try {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(body);
      if (modelOverride != null) {
        root.put("model", modelOverride);
      }
      if (askForUsage) {
        var options = root.get("stream_options") instanceof ObjectNode existing ? existing : root.putObject("stream_options");
        options.put("include_usage", true);
      }
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException("body was inspected before rewrite, so this cannot happen", e);
    }
  }
}
