package dev.aigis.model.backend;

import java.util.List;

/**
 * Provider API options of an AIBackend, beyond its schema.
 *
 * @param openAiApi which OpenAI APIs an {@code OpenAI}-schema server speaks ({@code spec.openai.api}):
 *     a Responses client passes through natively only to a server that has the Responses API, and a
 *     chat or Anthropic client reaches a Responses-only server through translation
 * @param anthropicBetas the {@code anthropic-beta} flags forwarded to a backend that serves Claude
 *     ({@code spec.anthropic.betas}, exact flags or a prefix ending in {@code *}), or null for the
 *     schema's documented default
 */
public record ProviderOptions(OpenAiApi openAiApi, List<String> anthropicBetas) {

  /** The OpenAI APIs a server speaks. */
  public enum OpenAiApi {
    /** Chat Completions and Responses (api.openai.com, recent vLLM): both pass through natively. */
    Both,
    /** Chat Completions only: Responses clients are translated into chat. */
    ChatCompletions,
    /** Responses only: chat, completions and Anthropic clients are translated into Responses. */
    Responses
  }

  public static final ProviderOptions DEFAULTS = new ProviderOptions(OpenAiApi.Both, null);

  public ProviderOptions {
    openAiApi = openAiApi == null ? OpenAiApi.Both : openAiApi;
    anthropicBetas = anthropicBetas == null ? null : List.copyOf(anthropicBetas);
  }
}
