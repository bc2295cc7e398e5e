package dev.aigis.model;

import java.util.Map;

/**
 * Where a resource came from: a file, the line its document starts on and, for resources read from
 * YAML, the line of every field path (such as {@code spec.rules[0].backendRefs[1].weight}) so that
 * validation errors found later can point at the offending line. Built-in resources use the
 * pseudo-file {@code <embedded>}; resources read from the Kubernetes API use {@code <cluster>}.
 */
public record SourceRef(String file, int line, Map<String, Integer> fieldLines) {

  public static final SourceRef EMBEDDED = new SourceRef("<embedded>", 0);

  public SourceRef {
    fieldLines = fieldLines == null ? Map.of() : Map.copyOf(fieldLines);
  }

  public SourceRef(String file, int line) {
    this(file, line, Map.of());
  }

  /**
   * The line of {@code fieldPath}, or of its closest recorded ancestor (a missing required field is
   * reported on its parent's line), or the document line.
   */
  public int lineOf(String fieldPath) {
    String path = fieldPath;
    while (path != null && !path.isEmpty()) {
      Integer found = fieldLines.get(path);
      if (found != null) {
        return found;
      }
      path = parentOf(path);
    }
    return line;
  }

  private static String parentOf(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    // A '.' inside a bracketed key such as data[tls.crt] is not a separator.
    int open = path.lastIndexOf('[');
    if (path.endsWith("]") && open >= 0) {
      cut = open;
    }
    return cut <= 0 ? null : path.substring(0, cut);
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
