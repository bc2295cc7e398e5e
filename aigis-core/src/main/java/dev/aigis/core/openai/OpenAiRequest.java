package dev.aigis.core.openai;

/**
 * What the gateway needs to know of an OpenAI-style request body, read without building a tree.
 *
 * @param model the top-level {@code model}, or null when absent
 * @param stream whether {@code stream} is true
 * @param clientAskedForUsage whether {@code stream_options.include_usage} is true
 */
public record OpenAiRequest(String model, boolean stream, boolean clientAskedForUsage) {

  public static final OpenAiRequest EMPTY = new OpenAiRequest(null, false, false);
}
