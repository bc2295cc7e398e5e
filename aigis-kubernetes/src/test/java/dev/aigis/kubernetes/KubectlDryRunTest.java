package dev.aigis.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl apply --dry-run=client --validate=false} on deploy/, as an operator would run it. kubectl
 * needs an API server's discovery to map kinds to resources even in a client dry run, so the test serves
 * discovery for exactly the kinds Aigis knows (the Kubernetes kinds deploy/ uses, and every watched kind)
 * from a loopback stub that answers every object GET with 404: an unknown kind or apiVersion fails the
 * run. Skipped, with the reason, when kubectl is not installed.
 */
class KubectlDryRunTest {

  record Api(String group, String version, String kind, String plural, boolean namespaced) {}

  static final List<Api> APIS = apis();

  static List<Api> apis() {
    List<Api> apis = new ArrayList<>(List.of(
        new Api("", "v1", "Namespace", "namespaces", false),
        new Api("", "v1", "ServiceAccount", "serviceaccounts", true),
        new Api("", "v1", "Service", "services", true),
        new Api("apps", "v1", "Deployment", "deployments", true),
        new Api("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true),
        new Api("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
        new Api("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
        new Api("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
        new Api("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
        new Api("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false)));
    for (WatchedKind kind : WatchedKind.ALL) {
      apis.add(new Api(kind.group(), kind.version(), kind.kind(), kind.plural(), kind.namespaced()));
    }
    return apis;
  }

  @Test
  void deployAppliesInAClientDryRun(@TempDir Path home) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    assumeTrue(Files.isExecutable(kubectl), "kubectl is not installed (Debian's kubectl package provides it)");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", KubectlDryRunTest::answer);
    server.start();
    try {
      Path kubeconfig = home.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
          contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
          users: [{name: stub, user: {}}]
          current-context: stub
          """.formatted(server.getAddress().getPort()));
      List<String> files = List.of("namespace.yaml", "crds/aigis.dev.yaml", "rbac.yaml", "gateway.yaml",
          "gatewayclass.yaml", "examples/quickstart.yaml");
      List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
          "--cache-dir", home.resolve("cache").toString(), "apply", "--dry-run=client", "--validate=false", "-o", "name"));
      int documents = 0;
      for (String file : files) {
        command.add("-f");
        command.add(DeployManifestsTest.DEPLOY.resolve(file).toString());
        documents += DeployManifestsTest.documents(DeployManifestsTest.DEPLOY.resolve(file)).size();
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output.lines().toList()).as(output).hasSize(documents)
          .contains("deployment.apps/aigis", "gatewayclass.gateway.networking.k8s.io/aigis",
              "aibackend.aigis.dev/echo", "httproute.gateway.networking.k8s.io/models",
              "customresourcedefinition.apiextensions.k8s.io/aibackends.aigis.dev");
    } finally {
      server.stop(0);
    }
  }

  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    ObjectNode body = ClusterObject.JSON.createObjectNode();
    int status = 200;
    Map<String, List<Api>> groups = new LinkedHashMap<>();
    APIS.forEach(api -> groups.computeIfAbsent(api.group().isEmpty() ? api.version() : api.group() + "/" + api.version(),
        k -> new ArrayList<>()).add(api));
    if (path.equals("/api")) {
      body.put("kind", "APIVersions").putArray("versions").add("v1");
      body.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1");
    } else if (path.equals("/apis")) {
      body.put("kind", "APIGroupList").put("apiVersion", "v1");
      ArrayNode list = body.putArray("groups");
      groups.forEach((groupVersion, apis) -> {
        if (groupVersion.contains("/")) {
          ObjectNode group = list.addObject().put("name", apis.getFirst().group());
          ObjectNode version = ClusterObject.JSON.createObjectNode().put("groupVersion", groupVersion)
              .put("version", apis.getFirst().version());
          group.putArray("versions").add(version);
          group.set("preferredVersion", version);
        }
      });
    } else if (path.startsWith("/api/") || path.startsWith("/apis/")) {
      String groupVersion = path.substring(path.indexOf('/', 1) + 1);
      List<Api> apis = groups.get(groupVersion);
      if (apis == null) {
        status = 404;
      } else {
        body.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode resources = body.putArray("resources");
        for (Api api : apis) {
          ObjectNode resource = resources.addObject().put("name", api.plural())
              .put("singularName", api.kind().toLowerCase(java.util.Locale.ROOT))
              .put("namespaced", api.namespaced()).put("kind", api.kind());
          resource.putArray("verbs").add("get").add("list").add("create").add("update").add("patch").add("delete");
        }
      }
    } else {
      status = 404;
    }
    if (status == 404) {
      body.removeAll();
      body.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("reason", "NotFound")
          .put("code", 404).put("message", "not found");
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
