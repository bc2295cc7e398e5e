package dev.aigis.server.proxy;

import dev.aigis.core.exchange.BoundedWorkers;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.server.ServerOptions;
import dev.aigis.server.metrics.GatewayMetrics;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.server.processing.ProcessingCompiler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One {@link HttpFrontDoor} on a Vert.x server of its own, compiled from YAML, with the upstream
 * leg's failure policy chosen by the test: the proxy path without the listener manager, admin port
 * or file watching of {@code GatewayServer}. The YAML's Gateway listens on port 8080 (the port the
 * front door is for); the server itself binds a free port.
 */
final class FrontDoorFixture implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final BoundedWorkers workers = new BoundedWorkers(1, 4);
  private final UpstreamClients clients = new UpstreamClients(vertx);
  // HTTP/1.1: the JDK client would otherwise try an h2c upgrade on every new connection.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpServer server;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final Traffic traffic;

  FrontDoorFixture(String yaml, UnaryOperator<UpstreamLeg.AttemptFailure> policy) throws Exception {
    this(yaml, policy, CompiledProcessing.NONE);
  }

  /** @param processing chains made in the test (processors written in Java), in place of the YAML's */
  FrontDoorFixture(String yaml, UnaryOperator<UpstreamLeg.AttemptFailure> policy, CompiledProcessing processing)
      throws Exception {
    this(yaml, policy, processing, null);
  }

  /** @param timers the front door's clock (a test's manual one), or null for Vert.x timers */
  FrontDoorFixture(String yaml, UnaryOperator<UpstreamLeg.AttemptFailure> policy, CompiledProcessing processing,
      dev.aigis.core.processing.Scheduler timers) throws Exception {
    this(yaml, policy, processing, timers, null);
  }

  /**
   * Traffic management on manual time: backoffs wait on {@code timers}, circuits read {@code clock},
   * and the backoff's jitter always draws its maximum.
   */
  FrontDoorFixture(String yaml, dev.aigis.core.processing.Scheduler timers, java.time.InstantSource clock)
      throws Exception {
    this(yaml, UnaryOperator.identity(), CompiledProcessing.NONE, timers, clock);
  }

  private FrontDoorFixture(String yaml, UnaryOperator<UpstreamLeg.AttemptFailure> policy, CompiledProcessing processing,
      dev.aigis.core.processing.Scheduler timers, java.time.InstantSource clock) throws Exception {
    this.traffic = new Traffic(new dev.aigis.server.metrics.TrafficMetrics(metrics.registry()),
        clock == null ? java.time.InstantSource.system() : clock, () -> 1.0);
    RuntimeConfig runtime = RuntimeConfig.compile(
        ConfigPipeline.compileText("fixture.yaml", yaml, Map.<String, String>of()::get), processing);
    var options = ServerOptions.defaults().withAccessLog(false).withDebugHeaders(true);
    var frontDoor = timers == null
        ? new HttpFrontDoor(8080, () -> runtime, options, clients, metrics, vertx, workers, policy)
        : new HttpFrontDoor(8080, () -> runtime, options, clients, metrics, vertx, workers, policy, timers, traffic);
    var serverOptions = new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(serverOptions).requestHandler(frontDoor).connectionHandler(connection -> {
      LengthAndChunkedGuard.install(connection, serverOptions);
      frontDoor.connected(connection);
      connection.closeHandler(v -> frontDoor.disconnected(connection));
    }).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A fixture whose processors are the YAML's own PayloadProcessors (InProcess ones: no ext_proc channels open). */
  static FrontDoorFixture withYamlProcessors(String yaml) throws Exception {
    try (var channels = new ExtProcChannels()) {
      CompiledProcessing processing = new ProcessingCompiler(channels)
          .compile(ConfigPipeline.compileText("fixture.yaml", yaml, Map.<String, String>of()::get));
      return new FrontDoorFixture(yaml, UnaryOperator.identity(), processing);
    }
  }

  /** What the front door recorded, in Prometheus text. */
  String scrape() {
    return metrics.scrape();
  }

  /** What {@code GET /admin/backends} shows. */
  String backendsJson() {
    return traffic.backendsJson();
  }

  /** The port the front door listens on. */
  int port() {
    return server.actualPort();
  }

  /** POSTs a JSON body with the given extra headers (name, value, name, value, ...). */
  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    clients.close();
    workers.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A port that was free a moment ago: connecting to it is refused. */
  static int refusedPort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String gateway() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        """;
  }

  /** The in-process echo model as an AIBackend named {@code echo}. */
  static String echoBackend() {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: echo}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
        """;
  }

  /** An AIBackend named {@code name} of {@code schema} on a local port, with the API key {@code sk-NAME}. */
  static String backend(String name, String schema, int port) {
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: %1$s-key}
        stringData: {apiKey: sk-%1$s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: %1$s}
        spec:
          schema: %3$s
          endpoint: {url: "http://127.0.0.1:%2$d"}
          credentials: {secretRef: {name: %1$s-key, key: apiKey}}
        """.formatted(name, port, schema);
  }

  /** An HTTPRoute on the Gateway whose one rule has the given filters and backendRefs (YAML flow lists). */
  static String route(String filters, String backendRefs) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - filters: %s
            backendRefs: %s
        """.formatted(filters, backendRefs);
  }
}
