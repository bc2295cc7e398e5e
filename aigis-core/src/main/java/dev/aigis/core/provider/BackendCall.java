package dev.aigis.core.provider;

/**
 * What a translator knows of the call it builds. No credential: {@link
 * dev.aigis.core.backend.BackendAuth} adds it to the call the translator returns (signing
 * translators get their credentials when they are made).
 *
 * @param model the model to ask the backend for (after any {@code modelNameOverride})
 * @param stream whether the client asked for a stream
 * @param basePath the backend URL's path prefix, "" when none
 */
public record BackendCall(String model, boolean stream, String basePath) {}
