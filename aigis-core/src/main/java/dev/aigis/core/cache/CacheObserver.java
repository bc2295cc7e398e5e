package dev.aigis.core.cache;

import java.util.function.LongSupplier;

/**
 * What response caches report (the data plane turns it into metrics). {@code cache} is the
 * processor's configured name ({@code namespace/name/entry}); tiers and results are closed sets, so
 * no client-chosen string becomes a label.
 */
public interface CacheObserver {

  CacheObserver NONE = new CacheObserver() {};

  /**
   * One tier's lookup.
   *
   * @param tier {@code exact} or {@code semantic}
   * @param result {@code hit}, {@code miss} or {@code error} (the store or the embedding failed: a miss to the client)
   */
  default void lookup(String cache, String tier, String result) {}

  /** A hit's savings: the tokens the cached answer carried and their price (nano-USD, 0 when unpriced). */
  default void saved(String cache, long inputTokens, long outputTokens, long nanoUsd) {}

  /** An answer offered to the store: {@code stored}, {@code skipped} (not cacheable) or {@code error}. */
  default void stored(String cache, String result) {}

  /** Registers the entry count of a cache's store (called once per store opened). */
  default void entries(String cache, LongSupplier size) {}
}
