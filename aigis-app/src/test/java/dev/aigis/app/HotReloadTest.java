package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.ConfigError;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.GatewayServer;
import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import dev.aigis.testkit.ManualScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File watching: valid changes apply without dropping in-flight requests; invalid ones are refused. */
class HotReloadTest {

  @TempDir Path dir;
  FakeOpenAiUpstream upstream;
  GatewayServer server;
  ConfigWatcher watcher;
  Path file;
  int port;
  final ManualScheduler time = new ManualScheduler();
  final LinkedBlockingQueue<ConfigSnapshot> applied = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<List<ConfigError>> refusals = new LinkedBlockingQueue<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(time));
    file = dir.resolve("aigis.yaml");
    // A free port is free only until another test binds it: a lost race picks another.
    for (int attempt = 1; server == null; attempt++) {
      port = GatewayFixture.freePort();
      Files.writeString(file, config(port, "model-a"));
      ConfigSnapshot snapshot = ConfigPipeline.loadAndCompile(List.of(file), Map.<String, String>of()::get);
      try {
        server = GatewayServer.start(snapshot,
            ServerOptions.defaults().withAdminPort(-1).withTrafficHost("127.0.0.1").withEventLoops(2));
      } catch (IllegalStateException e) {
        if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
    watcher = ConfigWatcher.start(List.of(file), new ConfigWatcher.ReloadTarget() {
      @Override
      public void apply(ConfigSnapshot next) throws dev.aigis.model.ConfigException {
        server.apply(next);
        applied.add(next);
      }

      @Override
      public void refused(List<ConfigError> errors) {
        refusals.add(errors);
      }
    });
  }

  @AfterEach
  void stop() {
    watcher.close();
    server.close();
    upstream.close();
  }

  @Test
  void validChangeIsAppliedAndServes() throws Exception {
    assertThat(chat(port, "model-b").statusCode()).isEqualTo(404);

    Files.writeString(file, config(port, "model-b"));

    awaitApplied(1);
    assertThat(chat(port, "model-b").statusCode()).isEqualTo(200);
    assertThat(chat(port, "model-a").statusCode()).isEqualTo(404);
  }

  @Test
  void invalidChangeIsRefusedAndThePreviousConfigurationKeepsServing() throws Exception {
    Files.writeString(file, config(port, "model-b").replace("weight: 1", "weight: -5"));

    List<ConfigError> errors = refusals.poll(10, TimeUnit.SECONDS);
    assertThat(errors).isNotNull();
    assertThat(errors.getFirst().format())
        .startsWith(file.toAbsolutePath() + ":")
        .contains("HTTPRoute/chat")
        .contains("spec.rules[0].backendRefs[0].weight");
    assertThat(applied).isEmpty();
    assertThat(chat(port, "model-a").statusCode()).isEqualTo(200);
  }

  @Test
  void syntaxErrorIsRefused() throws Exception {
    Files.writeString(file, "kind: Gateway\nmetadata: {name: [unclosed\n");

    assertThat(refusals.poll(10, TimeUnit.SECONDS)).isNotEmpty();
    assertThat(chat(port, "model-a").statusCode()).isEqualTo(200);
  }

  @Test
  void inFlightStreamSurvivesAReloadThatRemovesItsRoute() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("a b c d e f g h").withTokens(8)
        .withTimeToFirstToken(Duration.ofMillis(100)).withTokensPerSecond(8));
    CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
        chatRequest(port, "model-a", true), HttpResponse.BodyHandlers.ofString());
    // The upstream holds the stream at its first token until the test moves its clock.
    assertThat(time.awaitDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));

    Files.writeString(file, config(port, "model-b"));
    awaitApplied(1);
    assertThat(inFlight).as("still streaming when the reload is applied").isNotDone();
    time.advance(Duration.ofSeconds(1)); // past the last token: the rest of the stream is sent at once

    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"content\":\" h\"").endsWith("data: [DONE]\n\n");
    assertThat(chat(port, "model-a").statusCode()).isEqualTo(404);
  }

  @Test
  void listenerPortChangeBindsTheNewPortAndReleasesTheOld() throws Exception {
    int newPort = GatewayFixture.freePort();
    Files.writeString(file, config(newPort, "model-a"));
    awaitApplied(1);

    assertThat(chat(newPort, "model-a").statusCode()).isEqualTo(200);
    server.portsReleased().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
        .as("old port released").isInstanceOf(java.net.ConnectException.class);
  }

  private void awaitApplied(int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      assertThat(applied.poll(10, TimeUnit.SECONDS)).as("reload %d applied", i + 1).isNotNull();
    }
    assertThat(refusals).isEmpty();
  }

  private HttpResponse<String> chat(int port, String model) throws Exception {
    return http.send(chatRequest(port, model, false), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest chatRequest(int port, String model, boolean stream) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  private String config(int listenerPort, String model) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: %d, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake}
        spec:
          schema: OpenAI
          endpoint: {url: "%s"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: %s}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake, weight: 1}]
        """.formatted(listenerPort, upstream.baseUrl(), model);
  }
}
