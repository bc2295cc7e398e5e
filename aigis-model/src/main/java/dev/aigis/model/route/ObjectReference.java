package dev.aigis.model.route;

/** A typed reference to another resource (Gateway API's ObjectReference / SecretObjectReference). */
public record ObjectReference(String group, String kind, String name, String namespace) {}
