package dev.aigis.core.provider;

/**
 * Translates one OpenAI {@code /v1/embeddings} exchange to a backend schema and back. Never
 * streamed. A backend that embeds one text per call (Bedrock Titan) gets several calls, sent in
 * order; the answers come back in the same order and make an OpenAI {@code list} of
 * {@code embedding}s. Created per request; not thread-safe.
 */
public interface EmbeddingsTranslator extends CallsTranslator {}
