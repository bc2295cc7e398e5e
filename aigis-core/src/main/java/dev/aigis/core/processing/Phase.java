package dev.aigis.core.processing;

/** When a request-side processor runs: before route matching, or after the route and its filters. */
public enum Phase { PreRouting, PostRouting }
