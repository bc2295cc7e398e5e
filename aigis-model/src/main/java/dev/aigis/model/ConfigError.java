package dev.aigis.model;

/**
 * One problem in the configuration, located as precisely as it is known. Messages never contain
 * secret values.
 *
 * @param file the file (or pseudo-file such as {@code <cluster>}); never null
 * @param line 1-based line, or 0 when unknown
 * @param resource {@code Kind/name}, or null when the problem is not inside a named resource
 * @param fieldPath such as {@code spec.rules[0].matches[0].path.type}, or null for the whole resource
 * @param message what is wrong, phrased for the person editing the file
 */
public record ConfigError(String file, int line, String resource, String fieldPath, String message) {

  /** An error in {@code resource} at {@code fieldPath}, on the line its source recorded for that path. */
  public static ConfigError at(Resource resource, String fieldPath, String message) {
    return new ConfigError(resource.source().file(), resource.source().lineOf(fieldPath), resource.displayName(),
        fieldPath, message);
  }

  /** {@code file:line: Kind/name: field.path: message}, leaving out the parts that are absent. */
  public String format() {
    StringBuilder out = new StringBuilder(file);
    if (line > 0) {
      out.append(':').append(line);
    }
    if (resource != null) {
      out.append(": ").append(resource);
    }
    if (fieldPath != null && !fieldPath.isEmpty()) {
      out.append(": ").append(fieldPath);
    }
    return out.append(": ").append(message).toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
