/**
 * Per-identity behavioural anomaly detection: {@link dev.aigis.core.guard.anomaly.AnomalyDetector}
 * keeps a rolling baseline per identity (request rate, prompt length, token usage, and the
 * embedding distance from the identity's usual prompts) and scores each observation as a z-score
 * against it. Pure arithmetic on an injected clock; the embedding, when wanted, comes from the
 * {@link dev.aigis.core.embedding.EmbeddingService}.
 */
package dev.aigis.core.guard.anomaly;
