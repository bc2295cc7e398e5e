package dev.aigis.core.rag;

import java.util.ArrayList;
import java.util.List;

/**
 * Which knowledge-base chunks were injected into an exchange, by each Retrieval processor that ran:
 * the response header, the access log and the audit record read it. Markers come from
 * configuration (or the operator's retriever), never from the client. Immutable.
 */
public record RagSources(List<Used> used) {

  /** @param sources chunk markers ({@code guide.md#3}) in injection order; empty when nothing matched */
  public record Used(String knowledgeBase, List<String> sources) {
    public Used {
      sources = List.copyOf(sources);
    }
  }

  public RagSources {
    used = List.copyOf(used);
  }

  RagSources plus(Used more) {
    List<Used> all = new ArrayList<>(used);
    all.add(more);
    return new RagSources(all);
  }
}
