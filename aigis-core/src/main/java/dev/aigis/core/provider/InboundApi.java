package dev.aigis.core.provider;

/** The client-facing API a request arrived in; errors go back in the same format. */
public enum InboundApi { OpenAI, Anthropic, Gemini }
