package dev.aigis.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ parses and names only kinds and fields that exist: the aigis.dev CRDs are the generated
 * ones, every manifest is of a known kind, typed kinds carry no field their API lacks, the ClusterRole
 * grants exactly what the controller watches and writes, and the example stack compiles with nothing
 * left out. {@link KubectlDryRunTest} runs kubectl itself on the same files.
 */
class DeployManifestsTest {

  static final Path DEPLOY = Path.of("..", "deploy");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Kinds of the Kubernetes API itself that deploy/ may use: apiVersion + "/" + kind. */
  static final Set<String> BUILT_IN = Set.of("v1/Namespace", "v1/ServiceAccount", "v1/Service", "v1/Secret",
      "v1/ConfigMap", "apps/v1/Deployment", "policy/v1/PodDisruptionBudget",
      "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
      "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding",
      "apiextensions.k8s.io/v1/CustomResourceDefinition");

  /** The plain manifests (Helm templates and kustomizations are not Kubernetes objects). */
  static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.toString().contains("/helm/") && !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted().toList();
    }
  }

  static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = YAML.createParser(file.toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(node);
        }
      });
    }
    return documents;
  }

  @Test
  void theAigisCrdsAreTheGeneratedOnes() throws IOException {
    // Regenerate with: ./aigis crds > deploy/crds/aigis.dev.yaml && cp deploy/crds/aigis.dev.yaml deploy/helm/aigis/crds/
    assertThat(Files.readString(DEPLOY.resolve("crds/aigis.dev.yaml"))).isEqualTo(Crds.yaml());
    assertThat(Files.readString(DEPLOY.resolve("helm/aigis/crds/aigis.dev.yaml"))).isEqualTo(Crds.yaml());
    assertThat(Crds.aigis()).extracting(crd -> crd.getSpec().getNames().getKind())
        .containsExactlyElementsOf(WatchedKind.AIGIS.stream().map(WatchedKind::kind).toList());
  }

  @Test
  void everyManifestIsOfAKnownKindAndTypedKindsHaveOnlyTheirFields() throws IOException {
    List<String> seen = new ArrayList<>();
    for (Path file : manifests()) {
      for (JsonNode document : documents(file)) {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        boolean watched = WatchedKind.ALL.stream()
            .anyMatch(k -> (k.apiVersion() + "/" + k.kind()).equals(type));
        assertThat(BUILT_IN.contains(type) || watched).as("%s in %s is a known kind", type, file).isTrue();
        if (BUILT_IN.contains(type)) {
          HasMetadata typed = Serialization.unmarshal(document.toString(), HasMetadata.class);
          assertThat(unknownFields(typed)).as("fields %s of %s has no such field", type, file).isEmpty();
        }
        seen.add(type);
      }
    }
    assertThat(seen).contains("apps/v1/Deployment", "rbac.authorization.k8s.io/v1/ClusterRole",
        "gateway.networking.k8s.io/v1/GatewayClass", "aigis.dev/v1alpha1/AIBackend");
  }

  /** What fabric8 could not bind to a field, at the top, in the spec and in each container (where typos happen). */
  private static List<String> unknownFields(HasMetadata typed) {
    List<String> unknown = new ArrayList<>();
    JsonNode tree = ClusterObjectJson.of(typed);
    if (typed instanceof Deployment deployment) {
      unknown.addAll(deployment.getAdditionalProperties().keySet());
      unknown.addAll(deployment.getSpec().getAdditionalProperties().keySet());
      unknown.addAll(deployment.getSpec().getTemplate().getSpec().getAdditionalProperties().keySet());
      deployment.getSpec().getTemplate().getSpec().getContainers()
          .forEach(c -> unknown.addAll(c.getAdditionalProperties().keySet()));
    } else if (typed instanceof io.fabric8.kubernetes.api.model.KubernetesResource) {
      try {
        var method = typed.getClass().getMethod("getAdditionalProperties");
        unknown.addAll(((java.util.Map<?, ?>) method.invoke(typed)).keySet().stream().map(Object::toString).toList());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(tree.isObject()).isTrue();
    return unknown;
  }

  @Test
  void theClusterRoleGrantsWhatTheControllerWatchesAndWritesAndNoMore() throws IOException {
    JsonNode role = documents(DEPLOY.resolve("rbac.yaml")).stream()
        .filter(d -> d.path("kind").asText().equals("ClusterRole")).findFirst().orElseThrow();
    Set<String> read = new java.util.TreeSet<>();
    Set<String> write = new java.util.TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      List<String> verbs = new ArrayList<>();
      rule.path("verbs").forEach(v -> verbs.add(v.asText()));
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          String key = group.asText() + "/" + resource.asText();
          if (verbs.equals(List.of("get", "list", "watch"))) {
            read.add(key);
          } else {
            assertThat(verbs).as("only status is ever written: %s", key).containsExactly("update");
            write.add(key);
          }
        }
      }
    }
    Set<String> watched = new java.util.TreeSet<>();
    Set<String> statuses = new java.util.TreeSet<>();
    for (WatchedKind kind : WatchedKind.ALL) {
      watched.add(kind.group() + "/" + kind.plural());
      if (kind.hasStatus()) {
        statuses.add(kind.group() + "/" + kind.plural() + "/status");
      }
    }
    assertThat(read).isEqualTo(watched);
    assertThat(write).isEqualTo(statuses);
  }

  /** The chart's RBAC template rendered, its Helm labels written as deploy/'s one label. */
  static String renderRbac(List<String> watchNamespaces) throws IOException {
    String template = Files.readString(DEPLOY.resolve("helm/aigis/templates/rbac.yaml"))
        .replace("{{- include \"aigis.labels\" . | nindent 4 }}", "{app.kubernetes.io/name: aigis}")
        .replace("{{- include \"aigis.labels\" $ | nindent 4 }}", "{app.kubernetes.io/name: aigis}");
    return HelmSubset.render(template, java.util.Map.of("watchNamespaces", watchNamespaces), "aigis", "aigis-system");
  }

  @Test
  void theHelmChartGrantsWhatDeployGrants() throws IOException {
    assertThat(renderRbac(List.of())).isEqualTo(Files.readString(DEPLOY.resolve("rbac.yaml")));
    JsonNode chart = YAML.readTree(DEPLOY.resolve("helm/aigis/Chart.yaml").toFile());
    assertThat(chart.path("name").asText()).isEqualTo("aigis");
    assertThat(YAML.readTree(DEPLOY.resolve("helm/aigis/values.yaml").toFile()).path("gatewayClass").path("name").asText())
        .isEqualTo("aigis");
  }

  /**
   * With {@code watchNamespaces}, the ClusterRole keeps only the cluster-scoped kinds, and each watched
   * namespace gets a Role with every namespaced kind (read, and status) bound to the controller's
   * ServiceAccount in the release's namespace; together they grant what the ClusterRole grants by default.
   */
  @Test
  void theHelmChartWatchingNamespacesGrantsPerNamespace() throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = YAML.createParser(renderRbac(List.of("team-a", "team-b")))) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
    }
    JsonNode clusterRole = documents.stream().filter(d -> d.path("kind").asText().equals("ClusterRole")).findFirst().orElseThrow();
    Set<String> clusterScoped = new java.util.TreeSet<>();
    for (WatchedKind kind : WatchedKind.ALL) {
      if (!kind.namespaced()) {
        clusterScoped.add(kind.group() + "/" + kind.plural() + ":read");
        if (kind.hasStatus()) {
          clusterScoped.add(kind.group() + "/" + kind.plural() + "/status:update");
        }
      }
    }
    assertThat(grants(clusterRole)).isEqualTo(clusterScoped);
    List<JsonNode> roles = documents.stream().filter(d -> d.path("kind").asText().equals("Role")
        && d.path("metadata").path("name").asText().equals("aigis-controller")).toList();
    assertThat(roles).extracting(r -> r.path("metadata").path("namespace").asText()).containsExactly("team-a", "team-b");
    Set<String> namespaced = new java.util.TreeSet<>();
    for (WatchedKind kind : WatchedKind.ALL) {
      if (kind.namespaced()) {
        namespaced.add(kind.group() + "/" + kind.plural() + ":read");
        if (kind.hasStatus()) {
          namespaced.add(kind.group() + "/" + kind.plural() + "/status:update");
        }
      }
    }
    roles.forEach(role -> assertThat(grants(role)).isEqualTo(namespaced));
    List<JsonNode> bindings = documents.stream().filter(d -> d.path("kind").asText().equals("RoleBinding")
        && d.path("metadata").path("name").asText().equals("aigis-controller")).toList();
    assertThat(bindings).extracting(b -> b.path("metadata").path("namespace").asText()).containsExactly("team-a", "team-b");
    bindings.forEach(binding -> {
      assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
      assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("aigis-controller");
      assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo("aigis-system");
      assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("aigis");
    });
    // The Lease stays in the release's namespace, as without watchNamespaces.
    assertThat(documents.stream().filter(d -> d.path("metadata").path("name").asText().equals("aigis-leader-election"))
        .map(d -> d.path("metadata").path("namespace").asText()).distinct()).containsExactly("aigis-system");
  }

  @Test
  void theHelmDeploymentPassesAWatchNamespaceFlagPerNamespace() throws IOException {
    String args = Files.readAllLines(DEPLOY.resolve("helm/aigis/templates/deployment.yaml")).stream()
        .filter(line -> line.trim().startsWith("args:")).findFirst().orElseThrow();
    java.util.Map<String, Object> values = new java.util.HashMap<>(java.util.Map.of("leaseName", "aigis-controller",
        "drainSeconds", 5));

    values.put("watchNamespaces", List.of());
    assertThat(YAML.readTree(HelmSubset.render(args, values, "aigis", "aigis-system")).path("args").toString())
        .isEqualTo("[\"controller\",\"--lease-name=aigis-controller\",\"--drain-seconds=5\"]");
    values.put("watchNamespaces", List.of("team-a", "team-b"));
    assertThat(YAML.readTree(HelmSubset.render(args, values, "aigis", "aigis-system")).path("args").toString())
        .isEqualTo("[\"controller\",\"--lease-name=aigis-controller\",\"--drain-seconds=5\","
            + "\"--watch-namespace=team-a\",\"--watch-namespace=team-b\"]");
  }

  /** {@code group/resource:read} for get/list/watch, {@code group/resource:update} for update, of every rule. */
  private static Set<String> grants(JsonNode role) {
    Set<String> grants = new java.util.TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      List<String> verbs = new ArrayList<>();
      rule.path("verbs").forEach(v -> verbs.add(v.asText()));
      String access = verbs.equals(List.of("get", "list", "watch")) ? "read" : String.join(",", verbs);
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          grants.add(group.asText() + "/" + resource.asText() + ":" + access);
        }
      }
    }
    return grants;
  }

  @Test
  void theExampleStackCompilesWithNothingLeftOut() throws IOException {
    String stack = Files.readString(DEPLOY.resolve("gatewayclass.yaml")) + "\n---\n"
        + Files.readString(DEPLOY.resolve("examples/quickstart.yaml"));

    Reconciliation result = Cluster.reconcile(stack);

    assertThat(result.rejected()).isEmpty();
    assertThat(result.snapshot().routes()).hasSize(1);
    assertThat(Cluster.conditions(Cluster.status(result, "HTTPRoute", "llm", "models").path("parents").get(0)
        .path("conditions"))).containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
  }
}
