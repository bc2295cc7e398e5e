package dev.aigis.model.processing;

import dev.aigis.model.Names;
import dev.aigis.model.load.Fields;
import dev.aigis.model.load.Range;
import java.math.BigDecimal;
import java.util.List;

/** {@code type: Retrieval}: context injection from a KnowledgeBase ({@link RetrievalSpec}); docs/semantic-parts/rag.md. */
final class RetrievalType implements ProcessorType<RetrievalSpec> {

  /** Declared where read (the CRD schema bounds it) and checked in {@link #validate}: a cosine similarity. */
  private static final Range MIN_SCORE = Range.closed("-1", "1");

  static final int MAX_TOP_K = 20;

  @Override
  public String name() {
    return "Retrieval";
  }

  @Override
  public String block() {
    return "retrieval";
  }

  @Override
  public Class<RetrievalSpec> configClass() {
    return RetrievalSpec.class;
  }

  @Override
  public List<String> fields() {
    return List.of("knowledgeBase", "topK", "minScore", "maxContextChars", "template");
  }

  @Override
  public RetrievalSpec read(Fields block) {
    String knowledgeBase = block.requiredString("knowledgeBase");
    Integer topK = block.integer("topK");
    BigDecimal minScore = block.decimal("minScore", false, MIN_SCORE);
    Integer maxContext = block.integer("maxContextChars");
    String template = block.string("template");
    return new RetrievalSpec(knowledgeBase,
        topK == null ? RetrievalSpec.DEFAULT_TOP_K : topK,
        minScore == null ? RetrievalSpec.DEFAULT_MIN_SCORE : minScore,
        maxContext == null ? RetrievalSpec.DEFAULT_MAX_CONTEXT_CHARS : maxContext,
        template == null ? RetrievalSpec.DEFAULT_TEMPLATE : template);
  }

  @Override
  public void validate(RetrievalSpec spec, Errors errors) {
    String at = block();
    if (spec.knowledgeBase() != null && !Names.isDnsSubdomain(spec.knowledgeBase())) {
      errors.at(at + ".knowledgeBase", "invalid name \"" + spec.knowledgeBase() + "\"");
    }
    if (spec.topK() < 1 || spec.topK() > MAX_TOP_K) {
      errors.at(at + ".topK", "must be 1.." + MAX_TOP_K + ", got " + spec.topK());
    }
    if (!MIN_SCORE.contains(spec.minScore())) {
      errors.at(at + ".minScore", "must be in [-1, 1], got " + spec.minScore().toPlainString());
    }
    if (spec.maxContextChars() < 100 || spec.maxContextChars() > 100_000) {
      errors.at(at + ".maxContextChars", "must be 100..100000, got " + spec.maxContextChars());
    }
    if (spec.template() != null && spec.template().isBlank()) {
      errors.at(at + ".template", "must not be blank");
    }
  }
}
