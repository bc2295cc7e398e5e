package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigis.kubernetes.ClusterController;
import dev.aigis.kubernetes.Crds;
import dev.aigis.kubernetes.WatchedKind;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.ServiceAddresses;
import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path from the Kubernetes API to a client: fabric8's mock API server in CRUD mode holds a
 * GatewayClass, Gateway, Secret, AIBackend and HTTPRoute; a gateway replica ({@link ClusterGateway})
 * watches them and the official OpenAI SDK is answered through it. Changing the route changes what is
 * served without a restart; deleting it gives 404. Waits are on applied snapshots and watches.
 */
class KubernetesEndToEndTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  /** fabric8's mock API server in CRUD mode, started per test (as its JUnit extension would). */
  final KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
      new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(), new KubernetesCrudDispatcher(), false);
  KubernetesClient client;
  FakeOpenAiUpstream upstream;
  /** HTTP/1.1 as GatewayFixture's client: the JDK's default h2c upgrade attempt on the admin port could hang. */
  static final java.net.http.HttpClient ADMIN = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  ClusterGateway gateway;
  OpenAIClient openai;
  int port;

  @BeforeEach
  void start() throws Exception {
    server.init();
    client = server.createClient();
    upstream = FakeOpenAiUpstream.start();
    for (WatchedKind kind : WatchedKind.ALL) {
      if (!kind.group().isEmpty()) {
        client.apiextensions().v1().customResourceDefinitions().resource(Crds.of(kind)).create();
      }
    }
    port = GatewayFixture.freePort();
    apply("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: aigis}
        spec: {controllerName: aigis.dev/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: %d, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upstream-key, namespace: default}
        stringData: {apiKey: sk-upstream-secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake, namespace: default}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %d}
          credentials: {secretRef: {name: upstream-key, key: apiKey}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: echo, namespace: default}
        spec: {schema: OpenAI, endpoint: {builtin: Echo}}
        """.formatted(port, upstream.port()));
    gateway = ClusterGateway.start(client,
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withEventLoops(2), name -> null,
        settings(), WAIT);
    openai = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("sk-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  /**
   * One replica, whose Service backends named {@code vllm} are the fake upstream: the test's stand-in for
   * cluster DNS and kube-proxy, through the controller's seam (every other Service keeps its DNS name).
   */
  ClusterController.Settings settings() {
    return ClusterController.Settings.single().reachingServices((namespace, name, servicePort) -> name.equals("vllm")
        ? new BackendEndpoint.Url(false, "127.0.0.1", upstream.port(), "")
        : ServiceAddresses.CLUSTER_DNS.address(namespace, name, servicePort));
  }

  @AfterEach
  void stop() {
    openai.close();
    gateway.close();
    upstream.close();
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // The mock's own Vert.x server may wait past its 10 s limit for a watch socket of an informer
      // already closed, on a loaded machine: a test double's teardown, not behaviour under test.
    }
  }

  @Test
  void anOpenAiSdkRequestIsAnsweredThroughResourcesAppliedToTheCluster() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("Hello from the cluster"));
    apply(route("models", "gpt-4o-mini", "fake"));
    gateway.awaitSnapshot(s -> !s.routes().isEmpty(), WAIT);

    ChatCompletion completion = chat("gpt-4o-mini");

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from the cluster");
    assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-secret");
    // The status is written in the reconcile that applied the snapshot: wait for its watch event.
    var routes = client.genericKubernetesResources(WatchedKind.HTTP_ROUTE.context()).inNamespace("default");
    var written = new java.util.concurrent.CompletableFuture<String>();
    try (var watch = routes.watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource route) {
        String json = Serialization.asJson(route);
        if (json.contains("\"reason\":\"ResolvedRefs\"")) {
          written.complete(json);
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    })) {
      String now = Serialization.asJson(routes.withName("models").get());
      String status = now.contains("\"reason\":\"ResolvedRefs\"") ? now : written.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(status).contains("\"controllerName\":\"aigis.dev/gateway-controller\"");
    }
    var admin = ADMIN.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + gateway.server().adminPort() + "/metrics")).timeout(WAIT).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(admin.body()).contains("aigis_controller_reconciles_total", "aigis_controller_reconcile_errors_total 0.0",
        "aigis_controller_status_writes_total", "aigis_controller_reconcile_lag_seconds");
    var ready = ADMIN.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + gateway.server().adminPort() + "/readyz")).timeout(WAIT).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void updatingTheRouteChangesWhatIsServedAndDeletingItGives404() throws Exception {
    apply(route("models", "gpt-4o-mini", "echo"));
    gateway.awaitSnapshot(s -> !s.routes().isEmpty(), WAIT);
    assertThat(chat("gpt-4o-mini").choices().getFirst().message().content()).contains("hello");

    apply(route("models", "gpt-4.1", "echo"));
    gateway.awaitSnapshot(s -> !s.routes().isEmpty() && s.routes().getFirst().rules().getFirst().matches().getFirst()
        .headers().getFirst().value().equals("gpt-4.1"), WAIT);
    assertThat(chat("gpt-4.1").choices().getFirst().message().content()).contains("hello");
    assertThatThrownBy(() -> chat("gpt-4o-mini")).isInstanceOfSatisfying(NotFoundException.class,
        e -> assertThat(e.statusCode()).isEqualTo(404));

    client.genericKubernetesResources(WatchedKind.HTTP_ROUTE.context()).inNamespace("default").withName("models").delete();
    gateway.awaitSnapshot(s -> s.routes().isEmpty(), WAIT);
    assertThatThrownBy(() -> chat("gpt-4.1")).isInstanceOfSatisfying(NotFoundException.class,
        e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  /** The quickstart's order: the replicas start on a cluster with no Gateway, which comes later. */
  @Test
  void aReplicaStartedBeforeAnyGatewayBindsTheGatewayWhenItArrives() throws Exception {
    gateway.close();
    client.genericKubernetesResources(WatchedKind.GATEWAY.context()).inNamespace("default").withName("gw").delete();
    gateway = ClusterGateway.start(client,
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withEventLoops(2), name -> null,
        settings(), WAIT);
    assertThat(gateway.server().snapshot().listeners()).isEmpty();
    assertThat(gateway.server().adminPort()).isPositive();

    apply(route("models", "aigis-echo", "echo") + "---\n" + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: %d, protocol: HTTP}]
        """.formatted(port));
    gateway.awaitSnapshot(s -> !s.listeners().isEmpty() && !s.routes().isEmpty(), WAIT);

    assertThat(chat("aigis-echo").choices().getFirst().message().content()).contains("hello");
  }

  /** Mirrors the Gateway API conformance test HTTPRouteHeaderMatching: a header match picks the backend. */
  @Test
  void HTTPRouteHeaderMatching() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("from upstream"));
    apply(route("to-upstream", "gpt-4o-mini", "fake"));
    apply(route("to-echo", "aigis-echo", "echo"));
    gateway.awaitSnapshot(s -> s.routes().size() == 2, WAIT);

    assertThat(chat("gpt-4o-mini").choices().getFirst().message().content()).contains("from upstream");
    assertThat(chat("aigis-echo").choices().getFirst().message().content()).contains("hello");
    assertThat(upstream.requests()).hasSize(1);
  }

  static final String VLLM_SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: vllm, namespace: %s}
      spec:
        selector: {app: vllm}
        ports: [{name: http, port: 8000, targetPort: 8000}]
      """;

  /**
   * Mirrors HTTPRouteServiceTypes: a route straight to a Service port reaches what is behind it (the fake
   * upstream here) as an OpenAI-compatible passthrough, the client's own credential forwarded.
   */
  @Test
  void HTTPRouteServiceTypes() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("from the vllm Service"));
    apply(VLLM_SERVICE.formatted("default") + "---\n" + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: local, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: llama}]}]
            backendRefs: [{name: vllm, port: 8000}]
        """);
    gateway.awaitSnapshot(s -> s.backends().containsKey("default/service/vllm:8000"), WAIT);

    assertThat(chat("llama").choices().getFirst().message().content()).contains("from the vllm Service");
    assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-client");
  }

  /**
   * Mirrors HTTPRoutePartiallyInvalidViaInvalidReferenceGrant through the data plane: the rule whose
   * Service is in another namespace without a ReferenceGrant answers 500 in the OpenAI format, and the
   * route's other rule serves.
   */
  @Test
  void HTTPRoutePartiallyInvalidViaInvalidReferenceGrant() throws Exception {
    apply("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: models}
        """ + "---\n" + VLLM_SERVICE.formatted("models") + "---\n" + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mixed, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: llama}]}]
            backendRefs: [{name: vllm, namespace: models, port: 8000}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: aigis-echo}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """);
    gateway.awaitSnapshot(s -> !s.routes().isEmpty(), WAIT);

    assertThat(chat("aigis-echo").choices().getFirst().message().content()).contains("hello");
    var refused = ADMIN.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("content-type", "application/json").timeout(WAIT)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(refused.body()).contains("\"code\":\"no_backend\"", "\"type\":\"server_error\"");
    assertThat(upstream.requests()).isEmpty();
  }

  private ChatCompletion chat(String model) {
    return openai.chat().completions().create(
        ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").build());
  }

  static String route(String name, String model, String backend) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: %s}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: %s}]
        """.formatted(name, model, backend);
  }

  private void apply(String yaml) {
    for (String document : yaml.split("(?m)^---$")) {
      if (document.isBlank()) {
        continue;
      }
      GenericKubernetesResource resource = Serialization.unmarshal(document, GenericKubernetesResource.class);
      WatchedKind kind = WatchedKind.ALL.stream()
          .filter(k -> k.apiVersion().equals(resource.getApiVersion()) && k.kind().equals(resource.getKind()))
          .findFirst().orElseThrow();
      var operation = client.genericKubernetesResources(kind.context());
      (kind.namespaced() ? operation.inNamespace(resource.getMetadata().getNamespace()) : operation)
          .resource(resource).createOr(existing -> existing.update());
    }
  }
}
