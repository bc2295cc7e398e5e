package dev.aigis.model;


/**
 * One declarative resource, in the shape the Kubernetes API uses ({@code apiVersion}, {@code kind},
 * {@code metadata}, {@code spec}). Standalone files and the cluster produce the same records.
 */
public sealed interface Resource permits Gateway, HttpRoute, AIBackend, Secret, PayloadProcessor, AccessPolicy, RateLimitPolicy, PriceCatalog,
    XBackend, ConfigMap, EgressPolicy, KnowledgeBase {

  ObjectMeta metadata();

  /** Where this resource was read from, for error messages. */
  SourceRef source();

  String kind();

  default String name() {
    return metadata().name();
  }

  /** {@code Kind/name} as error messages and logs print it. */
  default String displayName() {
    return kind() + "/" + metadata().name();
  }
}
