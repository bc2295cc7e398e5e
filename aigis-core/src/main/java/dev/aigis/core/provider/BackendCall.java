package dev.aigis.core.provider;

/**
 * What a translator knows of the call it builds.
 *
 * @param model the model to ask the backend for (after any {@code modelNameOverride})
 * @param stream whether the client asked for a stream
 * @param apiKey the backend's key, or null (signing backends get their credentials elsewhere)
 * @param basePath the backend URL's path prefix, "" when none
 */
public record BackendCall(String model, boolean stream, String apiKey, String basePath) {}
