package dev.aigis.app.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.app.GatewayFixture;
import dev.aigis.server.cache.RedisResponseCacheStore;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.LocalRedis;
import dev.aigis.testkit.RequiresRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways with one configuration and one Redis: what one answered and stored, the other serves
 * from the shared cache, by the exact tier and by a paraphrase, and the upstream is asked once.
 */
@RequiresRedis
class SharedCacheEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ANSWER = "The capital of France is Paris.";

  static FakeOpenAiUpstream upstream;
  static GatewayFixture a;
  static GatewayFixture b;
  static Vertx vertx;
  static Redis redis;
  static String processor;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, LocalRedis.uri().toString());
    upstream = FakeOpenAiUpstream.start();
    upstream.setDefault(Behavior.ok().withReply(ANSWER).withUsage(12, 7));
    // A cache name of its own per run: entries an earlier run left in Redis never answer.
    processor = "cache-" + UUID.randomUUID().toString().substring(0, 8);
    String yaml = config(upstream.port(), processor);
    a = GatewayFixture.start(yaml);
    b = GatewayFixture.start(yaml);
  }

  @AfterAll
  static void stop() throws Exception {
    String stream = b == null ? null : store(b).streamKey();
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (redis == null) {
      return;
    }
    if (stream != null) {
      String pattern = stream.substring(0, stream.length() - "log".length()).replace("{", "\\{").replace("}", "\\}") + "*";
      List<Object> keys = await(redis.send(Request.cmd(Command.KEYS, pattern)).toCompletionStage())
          .stream().map(Response::toString).map(Object.class::cast).toList();
      if (!keys.isEmpty()) {
        await(redis.send(Request.cmd(Command.DEL, keys.toArray())).toCompletionStage());
      }
    }
    redis.close();
    await(vertx.close().toCompletionStage());
  }

  @Test
  void aQuestionAnsweredThroughOneGatewayIsServedByTheOtherFromTheSharedCache() throws Exception {
    HttpResponse<String> first = a.post("/v1/chat/completions", chat("What is the capital of France?"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-aigis-cache")).hasValue("miss");
    assertThat(content(first)).isEqualTo(ANSWER);
    assertThat(upstream.requests()).hasSize(1);

    // A stores its answer once the exchange completed; wait for it in the stream, then for B to apply it.
    String stream = store(b).streamKey();
    Response read = await(redis.send(Request.cmd(Command.XREAD).arg("BLOCK").arg(30_000).arg("STREAMS")
        .arg(stream).arg("0-0")).toCompletionStage());
    assertThat(read).as("A announced its answer").isNotNull();
    await(store(b).synced());

    HttpResponse<String> paraphrase = b.post("/v1/chat/completions", chat("Which city is the capital of France?"));
    assertThat(paraphrase.statusCode()).as(paraphrase.body()).isEqualTo(200);
    assertThat(paraphrase.headers().firstValue("x-aigis-cache")).hasValue("hit");
    assertThat(paraphrase.headers().firstValue("x-aigis-cache-tier")).hasValue("semantic");
    assertThat(content(paraphrase)).isEqualTo(ANSWER);

    HttpResponse<String> same = b.post("/v1/chat/completions", chat("What is the capital of France?"));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(same.headers().firstValue("x-aigis-cache")).hasValue("hit");
    assertThat(same.headers().firstValue("x-aigis-cache-tier")).hasValue("exact");
    assertThat(content(same)).isEqualTo(ANSWER);

    assertThat(upstream.requests()).as("the upstream answered once, for gateway A").hasSize(1);
  }

  static RedisResponseCacheStore store(GatewayFixture gateway) {
    List<RedisResponseCacheStore> stores = gateway.server.sharedCacheStores().stores();
    assertThat(stores).hasSize(1);
    return stores.getFirst();
  }

  static String content(HttpResponse<String> response) throws Exception {
    JsonNode body = JSON.readTree(response.body());
    return body.path("choices").path(0).path("message").path("content").asText();
  }

  static String chat(String question) {
    return """
        {"model":"gpt-4o-mini","temperature":0,"messages":[
          {"role":"system","content":"You answer geography questions in one sentence."},
          {"role":"user","content":%s}]}
        """.formatted(JSON.valueToTree(question).toString());
  }

  static String config(int upstreamPort, String processor) {
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
          timeouts: {connect: 2s, response: 10s, idle: 10s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: %s}
        spec:
          targetRef: {kind: Gateway, name: gw}
          phase: PostRouting
          processors:
          - name: answers
            type: ResponseCache
            timeout: 10s
            responseCache:
              ttl: 10m
              # generous: two gateways and an embedding model on a loaded two-core machine
              store: {redis: {url: "%s", timeout: 5s}}
        """.formatted(upstreamPort, processor, LocalRedis.uri());
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
