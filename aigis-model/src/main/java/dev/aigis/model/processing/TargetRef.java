package dev.aigis.model.processing;

/** GEP-713 policy target: a Gateway or an HTTPRoute in the resource's namespace. */
public record TargetRef(String group, String kind, String name) {}
