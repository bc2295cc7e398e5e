package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A cluster's objects written as YAML, for tests of the pure translation (no API server). */
final class Cluster {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The minimal Aigis stack: our GatewayClass, a Gateway with an HTTP listener, an echo AIBackend. */
  static final String BASE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: aigis, generation: 1}
      spec: {controllerName: aigis.dev/gateway-controller}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: default}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default, generation: 1}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: echo, namespace: default, generation: 1}
      spec: {schema: OpenAI, endpoint: {builtin: Echo}}
      """;

  private Cluster() {}

  static ClusterState state(String... yamls) {
    Map<WatchedKind, List<ClusterObject>> objects = new HashMap<>();
    for (String yaml : yamls) {
      try (var parser = YAML.createParser(yaml)) {
        for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
          JsonNode node = it.next();
          if (node == null || node.isNull() || node.isMissingNode()) {
            continue;
          }
          ObjectNode tree = (ObjectNode) ClusterObject.JSON.readTree(node.toString());
          WatchedKind kind = kindOf(tree);
          JsonNode metadata = tree.path("metadata");
          String namespace = kind.namespaced() ? metadata.path("namespace").asText("default") : "";
          if (kind.namespaced()) {
            ((ObjectNode) metadata).put("namespace", namespace);
          }
          objects.computeIfAbsent(kind, k -> new ArrayList<>()).add(new ClusterObject(kind, namespace,
              metadata.path("name").asText(), metadata.path("generation").asLong(1), tree));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ClusterState(objects);
  }

  static WatchedKind kindOf(JsonNode tree) {
    return WatchedKind.ALL.stream()
        .filter(k -> k.apiVersion().equals(tree.path("apiVersion").asText()) && k.kind().equals(tree.path("kind").asText()))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("not a watched kind: " + tree.path("kind")));
  }

  /** The planned status of {@code kind namespace/name}. */
  static JsonNode status(Reconciliation result, String kind, String namespace, String name) {
    return result.statuses().entrySet().stream()
        .filter(e -> e.getKey().kind().kind().equals(kind) && e.getKey().namespace().equals(namespace)
            && e.getKey().name().equals(name))
        .map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("no status planned for " + kind + " " + namespace + "/" + name));
  }

  /** {@code type=status/reason} of each condition, in order: what conformance tests check. */
  static List<String> conditions(JsonNode conditions) {
    List<String> out = new ArrayList<>();
    conditions.forEach(c -> out.add(c.path("type").asText() + "=" + c.path("status").asText() + "/" + c.path("reason").asText()));
    return out;
  }

  static Reconciliation reconcile(String... yamls) {
    return Reconciliation.of(state(yamls), name -> null);
  }
}
