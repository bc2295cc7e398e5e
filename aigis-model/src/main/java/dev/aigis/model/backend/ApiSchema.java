package dev.aigis.model.backend;

/**
 * The wire API a backend speaks. {@code OpenAI} covers OpenAI-compatible servers (vLLM, Ollama,
 * Groq, Mistral...); {@code AzureOpenAI} uses deployment paths, {@code api-version} and
 * {@code api-key}; {@code Anthropic} the Messages API with {@code x-api-key} and
 * {@code anthropic-version}; {@code AWSBedrock} the Bedrock Converse API, signed with SigV4;
 * {@code Gemini} Google AI's {@code generateContent} with {@code x-goog-api-key};
 * {@code GCPVertexAI} the same API on Vertex AI's project/location paths, authorised by a service
 * account's OAuth access token (see {@link VertexConfig}).
 */
public enum ApiSchema { OpenAI, AzureOpenAI, Anthropic, AWSBedrock, Gemini, GCPVertexAI }
