package dev.aigis.model.processing;

import java.util.List;

/**
 * The {@code inProcess} block of a {@code type: InProcess} processor: mutations of the request and
 * of the response. Values are CEL expressions, compiled when configuration loads. Either side may be
 * null.
 */
public record InProcessSpec(Mutations request, Mutations response) implements ProcessorConfig {

  /**
   * @param setHeaders header name and a CEL expression producing its value (a string)
   * @param removeHeaders header names to remove
   * @param setBodyFields JSONPath (e.g. {@code $.metadata.user}) and a CEL expression for its value
   * @param removeBodyFields JSONPaths to remove
   */
  public record Mutations(
      List<Assignment> setHeaders, List<String> removeHeaders, List<Assignment> setBodyFields, List<String> removeBodyFields) {
    public Mutations {
      setHeaders = setHeaders == null ? List.of() : List.copyOf(setHeaders);
      removeHeaders = removeHeaders == null ? List.of() : List.copyOf(removeHeaders);
      setBodyFields = setBodyFields == null ? List.of() : List.copyOf(setBodyFields);
      removeBodyFields = removeBodyFields == null ? List.of() : List.copyOf(removeBodyFields);
    }

    public boolean touchesBody() {
      return !setBodyFields.isEmpty() || !removeBodyFields.isEmpty();
    }
  }

  /** {@code target} is a header name or a JSONPath; {@code value} a CEL expression. */
  public record Assignment(String target, String value) {}
}
