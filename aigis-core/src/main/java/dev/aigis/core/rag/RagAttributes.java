package dev.aigis.core.rag;

import dev.aigis.core.exchange.AttributeKey;

/** What the Retrieval processor leaves on the exchange and tells the client. */
public final class RagAttributes {

  /** The chunks each Retrieval processor injected, for the audit record. */
  public static final AttributeKey<RagSources> SOURCES = AttributeKey.of("rag.sources", RagSources.class);

  /** The response header naming the injected chunks ({@code guide.md#3, faq.md#1}), or {@code none}. */
  public static final String SOURCES_HEADER = "x-aigis-rag-sources";

  private RagAttributes() {}
}
