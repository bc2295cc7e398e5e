package dev.aigis.core.cache;

/** A semantic-tier hit: the entry and the cosine similarity of its question to the one asked. */
public record SemanticMatch(CacheEntry entry, double similarity) {}
