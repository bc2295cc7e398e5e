package dev.aigis.core.provider.anthropic.wire;

/** The {@code error} member of an error body or event, e.g. {@code overloaded_error}. */
public record ErrorDetail(String type, String message) {}
