package dev.aigis.model.processing;

/** Before route matching, or after the route is known and its filters have run. */
public enum ProcessorPhase { PreRouting, PostRouting }
