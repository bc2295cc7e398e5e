package dev.aigis.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.core.cache.CacheObserver;
import dev.aigis.core.cache.CacheRuntime;
import dev.aigis.core.cache.SharedStoreFactory;
import dev.aigis.core.embedding.EmbeddingObserver;
import dev.aigis.core.guard.processor.GuardObserver;
import dev.aigis.core.guard.processor.GuardRuntime;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.proxy.RuntimeConfig;
import dev.aigis.server.extproc.ExtProcServer;
import dev.aigis.server.policy.PolicyRuntime;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.server.processing.ProcessingCompiler;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The response cache behind the ext_proc server answers a hit the way the data plane does: the
 * same status, cache headers and answer, as an immediate response, with nothing sent upstream.
 * Each front door has its own store (as two replicas with memory stores would), so each is primed
 * with a miss first. (A row of {@link FrontDoorParityTest} sends one request per front door and
 * compiles the ext_proc side for validation, which opens no store; hence a test of its own.)
 */
class ResponseCacheParityTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String QUESTION = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"What is the capital of France?\"}]}";
  static final String PARAPHRASE = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Tell me, what is the capital of France?\"}]}";

  static String yaml(int upstreamPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: cache}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          phase: PostRouting
          processors:
          - name: answers
            type: ResponseCache
            timeout: 10s
            responseCache: {}
        """.formatted(upstreamPort);
  }

  @Test
  void aSemanticHitBehindTheExtProcServerMatchesTheDataPlane() throws Exception {
    try (FakeOpenAiUpstream openai = FakeOpenAiUpstream.start()) {
      openai.setDefault(Behavior.ok().withReply("Paris is the capital of France.").withUsage(10, 40));
      String yaml = yaml(openai.port());
      HttpResponse<String> dataPlaneHit;
      int port;
      try (var gateway = GatewayFixture.start(yaml)) {
        port = gateway.port;
        assertThat(gateway.andStored(() -> gateway.post("/v1/chat/completions", QUESTION)).headers()
            .firstValue("x-aigis-cache")).contains("miss");
        dataPlaneHit = gateway.post("/v1/chat/completions", PARAPHRASE);
      }
      assertThat(dataPlaneHit.statusCode()).isEqualTo(200);
      assertThat(dataPlaneHit.headers().firstValue("x-aigis-cache")).contains("hit");
      assertThat(openai.requests()).hasSize(1);

      ConfigSnapshot snapshot = ConfigPipeline.compileText("test.yaml", yaml.replace("${PORT}", Integer.toString(port)),
          name -> null);
      var guards = new GuardRuntime(InstantSource.system(), GuardObserver.NONE, EmbeddingObserver.NONE, new byte[32]);
      try (var channels = new ExtProcChannels(Duration.ZERO); guards;
          var caches = new CacheRuntime(InstantSource.system(), CacheObserver.NONE, SharedStoreFactory.NONE,
              guards::embeddings)) {
        var compiler = new ProcessingCompiler(channels, PolicyRuntime.forValidation(),
            new dev.aigis.server.processing.ProcessorRuntimes(guards,
                dev.aigis.core.routing.semantic.SemanticRouteRuntime.forValidation(guards::embeddings), caches,
                dev.aigis.core.rag.KnowledgeRuntime.lazy(guards::embeddings)));
        RuntimeConfig runtime = RuntimeConfig.compile(snapshot, compiler.compile(snapshot));
        var server = ExtProcServer.builder(() -> runtime, "default/gw").shutdownGrace(Duration.ZERO).build().start();
        try (server; var envoy = new EnvoyReplay(server.port())) {
          var upstream = EnvoyReplay.upstreamAt(openai.baseUrl(), Map.of(), Duration.ofSeconds(10));
          long stored = caches.storesFinished();
          EnvoyReplay.Outcome miss = envoy.exchange(EnvoyReplay.Filter.STREAMED_RESPONSE, request(QUESTION, port),
              upstream);
          assertThat(miss.upstream()).isNotNull();
          assertThat(miss.client().header("x-aigis-cache")).isEqualTo("miss");
          caches.whenStoresFinished(stored + 1).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

          EnvoyReplay.Outcome hit = envoy.exchange(EnvoyReplay.Filter.STREAMED_RESPONSE, request(PARAPHRASE, port),
              upstream);
          assertThat(hit.upstream()).as("nothing goes upstream").isNull();
          assertThat(hit.immediate()).isTrue();
          assertThat(hit.client().status()).isEqualTo(dataPlaneHit.statusCode());
          for (String header : List.of("x-aigis-cache", "x-aigis-cache-tier", "x-aigis-cache-similarity")) {
            assertThat(hit.client().header(header)).as(header)
                .isEqualTo(dataPlaneHit.headers().firstValue(header).orElseThrow());
          }
          JsonNode viaEnvoy = JSON.readTree(new String(hit.client().body(), UTF_8));
          JsonNode viaDataPlane = JSON.readTree(dataPlaneHit.body());
          assertThat(viaEnvoy.at("/choices/0/message/content")).isEqualTo(viaDataPlane.at("/choices/0/message/content"));
          assertThat(viaEnvoy.path("usage")).isEqualTo(viaDataPlane.path("usage"));
          assertThat(viaEnvoy.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        }
      }
      assertThat(openai.requests()).hasSize(2);
    }
  }

  private static EnvoyReplay.Request request(String body, int port) {
    byte[] bytes = body.getBytes(UTF_8);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    headers.put("content-length", List.of(Integer.toString(bytes.length)));
    return new EnvoyReplay.Request("POST", "/v1/chat/completions", "127.0.0.1:" + port, headers, bytes);
  }
}
