package dev.aigis.model;

/**
 * Where a resource came from: a file and the line its document starts on. Built-in resources use
 * the pseudo-file {@code <embedded>}; resources read from the Kubernetes API use {@code <cluster>}.
 */
public record SourceRef(String file, int line) {

  public static final SourceRef EMBEDDED = new SourceRef("<embedded>", 0);

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
