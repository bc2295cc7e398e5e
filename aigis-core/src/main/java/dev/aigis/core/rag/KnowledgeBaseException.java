package dev.aigis.core.rag;

/**
 * A knowledge base that cannot be built (a missing file, too many chunks, the model failing), or a
 * retrieval that failed (retriever down, late or answering nonsense). The message names files and
 * limits, never document or prompt text.
 *
 * @see #detail() where in the spec a configuration error is, or why a retrieval failed
 */
public final class KnowledgeBaseException extends RuntimeException {

  private final String detail;

  /** @param detail a spec field ({@code spec.sources[0].path}), or a failure reason ({@code timeout}, {@code unavailable}, {@code invalid}) */
  public KnowledgeBaseException(String detail, String message) {
    super(message);
    this.detail = detail;
  }

  /** For a configuration error the field of the KnowledgeBase ({@code spec.sources[0].path}), else the failure reason. */
  public String detail() {
    return detail;
  }
}
