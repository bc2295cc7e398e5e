package dev.aigis.core.rag;

/**
 * One chunk a retrieval found, with its similarity to the query.
 *
 * @param marker how headers and the audit record name it ({@code guide.md#3}); from configuration
 *     or the operator's retriever, never from the client
 * @param label how the injected context names it ({@code guide.md § Install})
 */
public record Retrieved(String marker, String label, String text, double score) {

  static Retrieved of(Chunk chunk, double score) {
    return new Retrieved(chunk.marker(), chunk.label(), chunk.text(), score);
  }
}
