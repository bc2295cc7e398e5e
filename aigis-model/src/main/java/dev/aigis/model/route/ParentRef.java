package dev.aigis.model.route;

/** HTTPRoute parentRef: the Gateway (and optionally the listener, by sectionName or port) it attaches to. */
public record ParentRef(String group, String kind, String name, String namespace, String sectionName, Integer port) {}
