package dev.aigis.app.processing;

import static dev.aigis.app.processing.Processing.GATEWAY;
import static dev.aigis.app.processing.Processing.ROUTE;
import static dev.aigis.app.processing.Processing.base;
import static dev.aigis.app.processing.Processing.chat;
import static dev.aigis.app.processing.Processing.processor;
import static dev.aigis.app.processing.Processing.setHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.app.GatewayFixture;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request-side rules of PayloadProcessor execution (AI Gateway WG proposal 7), one test per
 * rule, each against a real gateway and the fake upstream. docs/processing.md maps rules to tests.
 */
class ProcessingSemanticsTest {

  static FakeOpenAiUpstream upstream;

  @BeforeAll
  static void startUpstream() {
    upstream = FakeOpenAiUpstream.start();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.reset();
  }

  private static String yaml(String... processors) {
    return base(upstream.port()) + String.join("", processors);
  }

  @Test
  void preRoutingProcessorSetsTheModelHeaderAndRoutingSeesIt() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("pre", GATEWAY, "PreRouting",
        setHeader("route-to", "X-Gateway-Model-Name", "request.headers['x-route-to']"))))) {
      // The body names model-a; the PreRouting processor's header wins, and the route is matched once, on it.
      HttpResponse<String> response = chat(gateway, "model-a", "x-route-to", "model-b");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().allValues("x-aigis-route")).containsExactly("default/models");
      assertThat(response.headers().allValues("x-aigis-backend")).containsExactly("default/b");
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/pre/route-to");
      assertThat(upstream.requests()).hasSize(1);
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.headers().get("x-gateway-model-name")).containsExactly("model-b");
      assertThat(received.header("x-routed-by")).isEqualTo("route-b");
    }
  }

  @Test
  void preRoutingRunsForEveryRequestOnTheGatewayEvenWithoutAMatchingRoute() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("pre", GATEWAY, "PreRouting",
        setHeader("stamp", "x-pre", "request.method + ' ' + request.path"))))) {
      HttpResponse<String> files = gateway.get("/v1/files");
      HttpResponse<String> nowhere = gateway.get("/v2/other");

      assertThat(files.statusCode()).isEqualTo(200);
      assertThat(upstream.lastRequest().header("x-pre")).isEqualTo("GET /v1/files");
      assertThat(nowhere.statusCode()).isEqualTo(404);
      assertThat(nowhere.body()).isEqualTo("{\"error\":{\"message\":\"No route matches GET /v2/other\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"route_not_found\"}}");
      assertThat(nowhere.headers().firstValue("x-aigis-processors")).hasValue("default/pre/stamp");
      assertThat(upstream.requests()).hasSize(1);
    }
  }

  @Test
  void bodyBasedModelRoutingRecipe() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("model-from-body", GATEWAY, "PreRouting",
        setHeader("set-model", "X-Gateway-Model-Name", "json(request.body).model"))))) {
      // A client-sent model header does not route: the body's model does.
      HttpResponse<String> response = chat(gateway, "model-b", "X-Gateway-Model-Name", "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-aigis-backend")).hasValue("default/b");
      assertThat(upstream.lastRequest().headers().get("x-gateway-model-name")).containsExactly("model-b");
      assertThat(upstream.lastRequest().header("x-routed-by")).isEqualTo("route-b");
    }
  }

  @Test
  void postRoutingRunsAfterRouteFiltersAndNeverChangesTheRoute() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("post", GATEWAY, "PostRouting",
        setHeader("reroute", "X-Gateway-Model-Name", "'model-b'"),
        setHeader("saw-filter", "x-saw-routed-by", "request.headers['x-routed-by']"))))) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-aigis-route")).hasValue("default/models");
      assertThat(response.headers().firstValue("x-aigis-backend")).hasValue("default/a");
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.headers().get("x-gateway-model-name")).containsExactly("model-b");
      assertThat(received.header("x-routed-by")).isEqualTo("route-a");
      assertThat(received.header("x-saw-routed-by")).isEqualTo("route-a");
    }
  }

  @Test
  void processorsRunInListOrderEachSeeingThePreviousMutations() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("pre", GATEWAY, "PreRouting",
        setHeader("one", "x-a", "'1'"),
        setHeader("two", "x-b", "request.headers['x-a'] + '2'"),
        setHeader("three", "x-a", "request.headers['x-b'] + '3'"))))) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/pre/one,default/pre/two,default/pre/three");
      assertThat(upstream.lastRequest().headers().get("x-b")).containsExactly("12");
      assertThat(upstream.lastRequest().headers().get("x-a")).containsExactly("123");
    }
  }

  private static final String FAILING = "request.headers['x-missing']";

  @Test
  void failClosedRuntimeErrorIs500AndStopsTheChainBeforeRouting() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("pre", GATEWAY, "PreRouting",
        setHeader("first", "x-first", "'ran'"),
        setHeader("boom", "x-boom", FAILING),
        setHeader("third", "x-third", "'ran'"))))) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"Processor boom failed: "
          + "inProcess.request.setHeaders[0].value: evaluation failed (attribute_not_found)\","
          + "\"type\":\"server_error\",\"param\":null,\"code\":\"processor_failed\"}}");
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/pre/first,default/pre/boom");
      assertThat(response.headers().firstValue("x-aigis-route")).isEmpty();
      assertThat(upstream.requests()).isEmpty();
    }
  }

  @Test
  void failOpenSkipsTheFailingProcessorAndRecordsTheSkip() {
    try (GatewayFixture gateway = Processing.start(yaml(processor("pre", GATEWAY, "PreRouting",
        setHeader("first", "x-first", "'ran'"),
        setHeader("boom", "x-boom", FAILING).replace("{name: boom,", "{name: boom, failureMode: FailOpen,"),
        setHeader("third", "x-third", "'ran'"))))) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.header("x-first")).isEqualTo("ran");
      assertThat(received.header("x-boom")).isNull();
      assertThat(received.header("x-third")).isEqualTo("ran");
      String metrics = gateway.admin("/metrics").body();
      assertThat(metrics).contains("aigis_processor_duration_seconds_count{chain=\"default/pre\",outcome=\"FAILED_OPEN\","
          + "processor=\"boom\",stage=\"REQUEST_HEADERS\"} 1");
      assertThat(metrics).contains("aigis_processor_duration_seconds_count{chain=\"default/pre\",outcome=\"CONTINUED\","
          + "processor=\"third\",stage=\"REQUEST_HEADERS\"} 1");
    }
  }

  /** Appends {@code name} to {@code x-order}, so the header records the order processors ran in. */
  private static String append(String name) {
    return setHeader(name, "x-order",
        "('x-order' in request.headers ? request.headers['x-order'] + ',' : '') + '" + name + "'");
  }

  @Test
  void gatewayProcessorsRunBeforeRouteProcessorsInTheSamePhase() {
    // Loaded route-first, to show that load order is not what decides.
    try (GatewayFixture gateway = Processing.start(yaml(
        processor("route-post", ROUTE, "PostRouting", append("route")),
        processor("gateway-post", GATEWAY, "PostRouting", append("gateway")),
        processor("gateway-pre", GATEWAY, "PreRouting", append("pre"))))) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(upstream.lastRequest().headers().get("x-order")).containsExactly("pre,gateway,route");
      assertThat(response.headers().firstValue("x-aigis-processors"))
          .hasValue("default/gateway-pre/pre,default/gateway-post/gateway,default/route-post/route");
    }
  }

  private static String dated(String processor, String timestamp) {
    return processor.replace("metadata: {name: ", "metadata: {creationTimestamp: \"" + timestamp + "\", name: ");
  }

  @Test
  void theOlderOfTwoProcessorsOnOneTargetAndPhaseWinsAndTheNewerIsNamedInAWarning() throws ConfigException {
    String yaml = yaml(
        dated(processor("newer", GATEWAY, "PreRouting", setHeader("mark", "x-winner", "'newer'"),
            setHeader("extra", "x-newer", "'yes'")), "2025-06-01T00:00:00Z"),
        dated(processor("older", GATEWAY, "PreRouting", setHeader("mark", "x-winner", "'older'")), "2025-01-01T00:00:00Z"));

    ConfigSnapshot snapshot = ConfigPipeline.compileText("test.yaml", yaml.replace("${PORT}", "8080"), Map.<String, String>of()::get);
    assertThat(snapshot.warnings()).extracting(ConfigError::format).containsExactly(
        "test.yaml:47: PayloadProcessor/newer: spec.targetRef: conflicts with PayloadProcessor default/older"
            + " on Gateway default/gw (PreRouting); the older one applies");

    try (GatewayFixture gateway = Processing.start(yaml)) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(upstream.lastRequest().headers().get("x-winner")).containsExactly("older");
      assertThat(upstream.lastRequest().header("x-newer")).isNull();
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/older/mark");
    }
  }

  /** A route for model-ext whose filters are {@code filters}, to backend a. */
  private static String extRoute(String filters) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: ext}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: model-ext}]}]
            filters:
        %s
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: a}]
        """.formatted(filters.indent(4).stripTrailing());
  }

  @Test
  void extensionRefRunsItsProcessorWhereItStandsInTheFilterList() {
    String filters = """
        - type: RequestHeaderModifier
          requestHeaderModifier: {set: [{name: x-before, value: from-filter}]}
        - type: ExtensionRef
          extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: inline}
        - type: RequestHeaderModifier
          requestHeaderModifier: {set: [{name: x-override, value: filter-wins}]}
        """;
    try (GatewayFixture gateway = Processing.start(yaml(extRoute(filters), processor("inline", null, null,
        setHeader("read", "x-seen-before", "request.headers['x-before']"),
        setHeader("write", "x-override", "'processor'"))))) {
      HttpResponse<String> response = chat(gateway, "model-ext");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-aigis-route")).hasValue("default/ext");
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/inline/read,default/inline/write");
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.header("x-seen-before")).isEqualTo("from-filter");
      assertThat(received.headers().get("x-override")).containsExactly("filter-wins");
    }
  }

  @Test
  void theWholeOrderPreRoutingFiltersWithExtensionRefGatewayThenRoutePostRouting() {
    String filters = """
        - type: ExtensionRef
          extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: inline}
        """;
    try (GatewayFixture gateway = Processing.start(yaml(extRoute(filters),
        processor("inline", null, null, append("extension")),
        processor("route-post", "{kind: HTTPRoute, name: ext}", "PostRouting", append("route")),
        processor("gateway-post", GATEWAY, "PostRouting", append("gateway")),
        processor("gateway-pre", GATEWAY, "PreRouting", append("pre"))))) {
      HttpResponse<String> response = chat(gateway, "model-ext");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(upstream.lastRequest().headers().get("x-order")).containsExactly("pre,extension,gateway,route");
    }
  }

  @Test
  void unresolvableExtensionRefIsRefusedWithALocatedError() {
    String filters = """
        - type: ExtensionRef
          extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: missing}
        """;
    String yaml = yaml(extRoute(filters)).replace("${PORT}", "8080");

    assertThatThrownBy(() -> ConfigPipeline.compileText("test.yaml", yaml, Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class)
        .hasMessage("test.yaml:52: HTTPRoute/ext: spec.rules[0].filters[0].extensionRef.name:"
            + " PayloadProcessor default/missing not found");
  }
}
