/**
 * Sentence embeddings: the {@link dev.aigis.core.embedding.Embedder} contract, the bundled
 * all-MiniLM-L6-v2 model ({@link dev.aigis.core.embedding.MiniLmEmbedder}), and the
 * {@link dev.aigis.core.embedding.EmbeddingService} every guard and the semantic cache share.
 *
 * <h2>Threading</h2>
 * {@code Embedder} calls block and burn CPU: never on an event loop. The service is the
 * asynchronous front: {@code embed} returns at once, the model runs on the service's own bounded
 * pool, and a full queue fails the stage with {@link dev.aigis.core.exchange.Workers.Saturated}.
 *
 * <h2>Privacy</h2>
 * Texts never reach logs, errors or metrics; the cache keeps short texts (up to 256 chars) as keys
 * in memory and longer ones only as SHA-256 digests.
 */
package dev.aigis.core.embedding;
