package dev.aigis.kubernetes;

import static dev.aigis.kubernetes.Cluster.conditions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.snapshot.ConfigSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller against fabric8's mock API server in CRUD mode: informers see objects applied,
 * snapshots follow creates, updates and deletes, status is written through the status subresource by
 * the replica that holds the Lease. Waits are on snapshots handed over (a queue) and on watches
 * ({@code waitUntilCondition}), never on sleeps.
 */
class ClusterControllerTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  /** fabric8's mock API server in CRUD mode, started per test (as its JUnit extension would). */
  final KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
      new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(), new KubernetesCrudDispatcher(), false);
  KubernetesClient client;
  final LinkedBlockingQueue<ConfigSnapshot> snapshots = new LinkedBlockingQueue<>();
  ClusterController controller;

  @BeforeEach
  void start() {
    server.init();
    client = server.createClient();
    for (WatchedKind kind : WatchedKind.ALL) {
      if (!kind.group().isEmpty()) {
        client.apiextensions().v1().customResourceDefinitions().resource(Crds.of(kind)).create();
      }
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build()).create();
    apply(Cluster.BASE.substring(Cluster.BASE.indexOf("---", Cluster.BASE.indexOf("kind: Namespace"))));
    apply("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: aigis}
        spec: {controllerName: aigis.dev/gateway-controller}
        """);
    controller = new ClusterController(client, snapshots::add, name -> null,
        new ClusterController.Settings("default", "aigis-controller", "replica-1", true, Duration.ofSeconds(15)),
        new ControllerMetrics()).start();
  }

  @AfterEach
  void stop() {
    controller.close();
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // The mock's own Vert.x server may wait past its 10 s limit for a watch socket of an informer
      // already closed, on a loaded machine: a test double's teardown, not behaviour under test.
    }
  }

  @Test
  void aRouteAppliedIsServedAndItsStatusWrittenThenUpdatedThenDeleted() throws Exception {
    controller.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    apply(route("gpt-4o-mini"));

    ConfigSnapshot served = awaitSnapshot(s -> s.routes().size() == 1);
    assertThat(served.routes().getFirst().rules().getFirst().matches().getFirst().headers().getFirst().value())
        .isEqualTo("gpt-4o-mini");
    GenericKubernetesResource route = awaitStatus(WatchedKind.HTTP_ROUTE, "default", "models",
        r -> parents(r).contains("Accepted=True/Accepted"));
    assertThat(parents(route)).isEqualTo("[Accepted=True/Accepted, ResolvedRefs=True/ResolvedRefs]");
    GenericKubernetesResource gateway = awaitStatus(WatchedKind.GATEWAY, "default", "gw",
        g -> json(g).path("status").path("listeners").path(0).path("attachedRoutes").asInt() == 1);
    assertThat(conditions(json(gateway).path("status").path("conditions")))
        .containsExactly("Accepted=True/Accepted", "Programmed=True/Programmed");
    awaitStatus(WatchedKind.GATEWAY_CLASS, "", "aigis",
        c -> conditions(json(c).path("status").path("conditions")).contains("Accepted=True/Accepted"));
    assertThat(client.leases().inNamespace("default").withName("aigis-controller").get().getSpec().getHolderIdentity())
        .isEqualTo("replica-1");

    apply(route("gpt-4.1"));
    awaitSnapshot(s -> s.routes().size() == 1
        && s.routes().getFirst().rules().getFirst().matches().getFirst().headers().getFirst().value().equals("gpt-4.1"));

    client.genericKubernetesResources(StatusWriter.context(WatchedKind.HTTP_ROUTE)).inNamespace("default")
        .withName("models").delete();
    awaitSnapshot(s -> s.routes().isEmpty());
    assertThat(controller.metrics().reconcileErrors()).isZero();
    assertThat(controller.metrics().statusWrites()).isPositive();
  }

  @Test
  void aKnowledgeBaseOfConfigMapsIsServedAndOneOfFilesIsRefusedWithItsField() throws Exception {
    controller.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: handbook, namespace: default}
        data: {keys.md: "# Keys"}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: handbook, namespace: default}
        spec:
          sources: [{configMapRef: {name: handbook, keys: [keys.md]}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: files, namespace: default}
        spec:
          sources: [{path: /etc/docs}]
        """);

    awaitSnapshot(s -> s.resource(dev.aigis.model.KnowledgeBase.class, "default", "handbook").isPresent());
    awaitStatus(WatchedKind.KNOWLEDGE_BASE, "default", "handbook",
        kb -> conditions(json(kb).path("status").path("conditions")).contains("Accepted=True/Accepted"));
    GenericKubernetesResource files = awaitStatus(WatchedKind.KNOWLEDGE_BASE, "default", "files",
        kb -> conditions(json(kb).path("status").path("conditions")).contains("Accepted=False/Invalid"));
    assertThat(json(files).path("status").path("conditions").path(0).path("message").asText())
        .startsWith("spec.sources[0].path: a file source has no meaning here");
  }

  @Test
  void anInvalidRouteIsKeptOutWithItsReasonWhileAValidOneIsServed() throws Exception {
    controller.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    apply(route("gpt-4o-mini"));
    apply("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: broken, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: RegularExpression, value: "/v1/(?=x)"}}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """);

    awaitSnapshot(s -> s.routes().size() == 1 && s.routes().getFirst().metadata().name().equals("models"));
    GenericKubernetesResource broken = awaitStatus(WatchedKind.HTTP_ROUTE, "default", "broken",
        r -> parents(r).contains("UnsupportedValue"));
    var accepted = json(broken).path("status").path("parents").path(0).path("conditions").path(0);
    assertThat(accepted.path("message").asText()).startsWith("spec.rules[0].matches[0].path.value: invalid regular expression");
  }

  @Test
  void onlyTheLeaseHolderWritesStatusAndAnotherReplicaTakesOverWhenItStops() throws Exception {
    controller.leading().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    LinkedBlockingQueue<ConfigSnapshot> second = new LinkedBlockingQueue<>();
    try (ClusterController standby = new ClusterController(client, second::add, name -> null,
        new ClusterController.Settings("default", "aigis-controller", "replica-2", true, Duration.ofSeconds(15)),
        new ControllerMetrics()).start()) {
      standby.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      apply(route("gpt-4o-mini"));
      // Both replicas serve the route...
      awaitSnapshot(s -> s.routes().size() == 1);
      ConfigSnapshot served = second.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      while (served != null && served.routes().isEmpty()) {
        served = second.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      assertThat(served).isNotNull();
      // ...and only the leader wrote its status.
      awaitStatus(WatchedKind.HTTP_ROUTE, "default", "models", r -> parents(r).contains("Accepted=True/Accepted"));
      assertThat(controller.isLeader()).isTrue();
      assertThat(standby.isLeader()).isFalse();
      assertThat(standby.metrics().statusWrites()).isZero();

      controller.close(); // gives the Lease up
      standby.leading().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(client.leases().inNamespace("default").withName("aigis-controller").get().getSpec().getHolderIdentity())
          .isEqualTo("replica-2");
      // The first replica is closed: only the standby can write this.
      apply(route("gpt-4.1").replace("name: echo", "name: gone"));
      awaitStatus(WatchedKind.HTTP_ROUTE, "default", "models", r -> parents(r).contains("ResolvedRefs=False/BackendNotFound"));
    }
  }

  @Test
  void withWatchedNamespacesObjectsElsewhereAreNotSeen() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("elsewhere").endMetadata().build()).create();
    apply(route("gpt-4o-mini").replace("namespace: default", "namespace: elsewhere")
        .replace("parentRefs: [{name: gw}]", "parentRefs: [{name: gw, namespace: default}]"));
    LinkedBlockingQueue<ConfigSnapshot> seen = new LinkedBlockingQueue<>();
    try (ClusterController scoped = new ClusterController(client, seen::add, name -> null,
        ClusterController.Settings.single().watching(java.util.Set.of("default")), new ControllerMetrics()).start()) {
      scoped.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      apply(route("gpt-4.1"));
      ConfigSnapshot last = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      while (last != null && last.routes().isEmpty()) {
        last = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      assertThat(last).isNotNull();
      assertThat(last.routes()).extracting(r -> r.metadata().namespace()).containsExactly("default");
      assertThat(last.resources()).noneMatch(r -> r.metadata().namespace().equals("elsewhere"));
    }
  }

  @Test
  void aSnapshotTheDataPlaneRefusesLeavesGatewaysNotProgrammedUntilItIsFixed() throws Exception {
    controller.close();
    LinkedBlockingQueue<ConfigSnapshot> applied = new LinkedBlockingQueue<>();
    controller = new ClusterController(client, snapshot -> {
      if (snapshot.routes().stream().anyMatch(r -> r.metadata().name().equals("unbindable"))) {
        throw new IllegalStateException("port 8080 is in use");
      }
      applied.add(snapshot);
    }, name -> null, ClusterController.Settings.single(), new ControllerMetrics()).start();
    controller.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    apply(route("gpt-4o-mini").replace("name: models", "name: unbindable"));
    GenericKubernetesResource gateway = awaitStatus(WatchedKind.GATEWAY, "default", "gw",
        g -> conditions(json(g).path("status").path("conditions")).contains("Programmed=False/Invalid"));
    assertThat(json(gateway).path("status").path("conditions").get(1).path("message").asText())
        .isEqualTo("not programmed, the previous configuration keeps serving: port 8080 is in use");

    client.genericKubernetesResources(WatchedKind.HTTP_ROUTE.context()).inNamespace("default").withName("unbindable").delete();
    awaitStatus(WatchedKind.GATEWAY, "default", "gw",
        g -> conditions(json(g).path("status").path("conditions")).contains("Programmed=True/Programmed"));
    assertThat(controller.metrics().reconcileErrors()).isPositive();
  }

  @Test
  void aReplicaThatCannotReachTheApiServerRefusesToStart() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    try (KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + closed)
            .withConnectionTimeout(1000).withRequestTimeout(1000).withRequestRetryBackoffLimit(0).build())
        .build()) {
      ClusterController blind = new ClusterController(unreachable, snapshots::add, name -> null,
          ClusterController.Settings.single(), new ControllerMetrics());
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(blind::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("cannot watch AIBackend (aigis.dev/v1alpha1), AccessPolicy")
            .hasMessageContaining("GatewayClass (gateway.networking.k8s.io/v1)");
        assertThat(blind.isReady()).isFalse();
      } finally {
        blind.close();
      }
    }
  }

  static String route(String model) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: %s}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """.formatted(model);
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
      var operation = client.genericKubernetesResources(StatusWriter.context(kind));
      (kind.namespaced() ? operation.inNamespace(resource.getMetadata().getNamespace()) : operation)
          .resource(resource).createOr(existing -> existing.update());
    }
  }

  private ConfigSnapshot awaitSnapshot(Predicate<ConfigSnapshot> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      ConfigSnapshot next = snapshots.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next != null && wanted.test(next)) {
        return next;
      }
    }
    throw new AssertionError("no snapshot as wanted within " + WAIT);
  }

  /**
   * Waits for {@code kind namespace/name} to satisfy {@code wanted}: watches the kind's collection (the mock
   * server's watch by name misses an object already in the wanted state), then checks the current object.
   */
  private GenericKubernetesResource awaitStatus(WatchedKind kind, String namespace, String name,
      Predicate<GenericKubernetesResource> wanted) {
    var operation = client.genericKubernetesResources(kind.context());
    var scoped = kind.namespaced() ? operation.inNamespace(namespace) : operation;
    var done = new java.util.concurrent.CompletableFuture<GenericKubernetesResource>();
    try (var watch = scoped.watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        if (resource.getMetadata().getName().equals(name) && wanted.test(resource)) {
          done.complete(resource);
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    })) {
      GenericKubernetesResource now = scoped.withName(name).get();
      if (now != null && wanted.test(now)) {
        return now;
      }
      return done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no " + kind.kind() + " " + namespace + "/" + name + " as wanted within " + WAIT
          + "; it is " + Serialization.asJson(scoped.withName(name).get()), e);
    }
  }

  static com.fasterxml.jackson.databind.JsonNode json(GenericKubernetesResource resource) {
    try {
      return ClusterObject.JSON.readTree(Serialization.asJson(resource));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String parents(GenericKubernetesResource route) {
    return conditions(json(route).path("status").path("parents").path(0).path("conditions")).toString();
  }
}
