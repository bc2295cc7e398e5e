package dev.aigis.core.rag;

/**
 * One piece of a knowledge-base document, as retrieved and injected.
 *
 * @param source the document's name from configuration (a file path relative to its source, or
 *     {@code configmap/key}); never client text
 * @param section the Markdown heading path the chunk sits under ({@code Install > Linux}), or empty
 * @param ordinal 1-based position of the chunk in its document
 * @param text the chunk's text, overlap with the previous chunk included
 */
public record Chunk(String source, String section, int ordinal, String text) {

  /** {@code guide.md#3}: how the response header and the audit record name the chunk. */
  public String marker() {
    return source + "#" + ordinal;
  }

  /** {@code guide.md § Install > Linux}: how the injected context names the chunk. */
  public String label() {
    return section.isEmpty() ? source : source + " § " + section;
  }

  /** What is embedded: the heading path carries topic words the paragraph itself may not repeat. */
  String embeddingText() {
    return section.isEmpty() ? text : section + "\n" + text;
  }
}
