package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.Resource;
import dev.aigis.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resources by kind and {@code namespace/name}. A repeated kind+namespace+name is an error on the
 * later copy, which is left out so that references resolve to the first.
 */
final class ResourceIndex {

  private final Map<String, Resource> byKey = new LinkedHashMap<>();

  ResourceIndex(Iterable<? extends Resource> resources, Problems problems) {
    for (Resource resource : resources) {
      Resource first = byKey.putIfAbsent(key(resource.kind(), resource.metadata().qualifiedName()), resource);
      if (first != null) {
        problems.at(resource, "metadata.name", "duplicate " + resource.kind() + " "
            + resource.metadata().qualifiedName() + ", first defined at " + first.source());
      }
    }
  }

  Gateway gateway(String namespace, String name) {
    return (Gateway) byKey.get(key(Gateway.KIND, namespace + "/" + name));
  }

  AIBackend backend(String namespace, String name) {
    return (AIBackend) byKey.get(key(AIBackend.KIND, namespace + "/" + name));
  }

  HttpRoute route(String namespace, String name) {
    return (HttpRoute) byKey.get(key(HttpRoute.KIND, namespace + "/" + name));
  }

  PayloadProcessor payloadProcessor(String namespace, String name) {
    return (PayloadProcessor) byKey.get(key(PayloadProcessor.KIND, namespace + "/" + name));
  }

  Secret secret(String namespace, String name) {
    return (Secret) byKey.get(key(Secret.KIND, namespace + "/" + name));
  }

  dev.aigis.model.XBackend xbackend(String namespace, String name) {
    return (dev.aigis.model.XBackend) byKey.get(key(dev.aigis.model.XBackend.KIND, namespace + "/" + name));
  }

  dev.aigis.model.ConfigMap configMap(String namespace, String name) {
    return (dev.aigis.model.ConfigMap) byKey.get(key(dev.aigis.model.ConfigMap.KIND, namespace + "/" + name));
  }

  dev.aigis.model.KnowledgeBase knowledgeBase(String namespace, String name) {
    return (dev.aigis.model.KnowledgeBase) byKey.get(key(dev.aigis.model.KnowledgeBase.KIND, namespace + "/" + name));
  }

  /** The resources kept, in load order. */
  Iterable<Resource> all() {
    return byKey.values();
  }

  private static String key(String kind, String qualifiedName) {
    return kind + "/" + qualifiedName;
  }
}
