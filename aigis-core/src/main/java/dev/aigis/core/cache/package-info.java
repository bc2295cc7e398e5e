/**
 * The response cache: an exact tier keyed by the normalised request and a semantic tier that
 * serves a paraphrase of a cached question, within a partition of model, system prompt, tool set
 * and earlier turns. {@link dev.aigis.core.cache.ResponseCacheStore} is where answers live (memory
 * or Redis); docs/semantic.md is the reference.
 */
package dev.aigis.core.cache;
