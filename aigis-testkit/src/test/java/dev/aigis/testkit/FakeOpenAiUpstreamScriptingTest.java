package dev.aigis.testkit;

import static dev.aigis.testkit.Http.json;
import static dev.aigis.testkit.Http.post;
import static dev.aigis.testkit.Http.sseData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviours scripted through the queue and the x-fake-behavior header. */
class FakeOpenAiUpstreamScriptingTest {

  static FakeOpenAiUpstream upstream;

  static final String CHAT = """
      {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}""";
  static final String CHAT_STREAM = """
      {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start();
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.reset();
  }

  @Test
  void queuedBehavioursApplyInOrderThenTheDefault() {
    upstream.enqueue(Behavior.ok().withStatus(500));
    upstream.enqueue(Behavior.ok().withStatus(429, "{\"error\":{\"message\":\"slow down\"}}")
        .withHeader("retry-after", "2"));
    upstream.setDefault(Behavior.ok().withStatus(503));

    HttpResponse<String> first = post(upstream, "/v1/chat/completions", CHAT);
    HttpResponse<String> second = post(upstream, "/v1/chat/completions", CHAT);
    HttpResponse<String> third = post(upstream, "/v1/chat/completions", CHAT);

    assertThat(first.statusCode()).isEqualTo(500);
    assertThat(json(first.body()).get("error").get("type").asText()).isEqualTo("server_error");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.body()).isEqualTo("{\"error\":{\"message\":\"slow down\"}}");
    assertThat(second.headers().firstValue("retry-after")).hasValue("2");
    assertThat(third.statusCode()).isEqualTo(503);
  }

  @Test
  void headerOverridesTheQueueWithoutConsumingIt() {
    upstream.enqueue(Behavior.ok().withStatus(503));

    HttpResponse<String> scripted = post(upstream, "/v1/chat/completions", CHAT,
        "x-fake-behavior", "{\"status\":429,\"headers\":{\"retry-after\":\"1\"}}");
    HttpResponse<String> queued = post(upstream, "/v1/chat/completions", CHAT);

    assertThat(scripted.statusCode()).isEqualTo(429);
    assertThat(json(scripted.body()).get("error").get("code").asText())
        .isEqualTo("rate_limit_exceeded");
    assertThat(scripted.headers().firstValue("retry-after")).hasValue("1");
    assertThat(queued.statusCode()).isEqualTo(503);
  }

  @Test
  void headerScriptsContentAndUsage() {
    String header = "{\"tokens\":5,\"promptTokens\":9,\"completionTokens\":42}";
    List<String> events = sseData(post(upstream, "/v1/chat/completions", """
        {"model":"m","stream":true,"stream_options":{"include_usage":true},
         "messages":[{"role":"user","content":"x"}]}""", "x-fake-behavior", header).body());

    assertThat(events).hasSize(1 + 5 + 1 + 1 + 1);
    assertThat(json(events.get(7)).get("usage").get("prompt_tokens").asInt()).isEqualTo(9);
    assertThat(json(events.get(7)).get("usage").get("completion_tokens").asInt()).isEqualTo(42);

    String reply = json(post(upstream, "/v1/chat/completions", CHAT,
        "x-fake-behavior", "{\"reply\":\"scripted\"}").body())
        .get("choices").get(0).get("message").get("content").asText();
    assertThat(reply).isEqualTo("scripted");
  }

  @Test
  void invalidHeaderIsA400NamingTheKey() {
    HttpResponse<String> response = post(upstream, "/v1/chat/completions", CHAT,
        "x-fake-behavior", "{\"stauts\":500}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).get("error").get("message").asText()).contains("stauts");
  }

  @Test
  void headerDelayHoldsTheResponse() {
    long start = System.nanoTime();
    HttpResponse<String> response = post(upstream, "/v1/chat/completions", CHAT,
        "x-fake-behavior", "{\"delayMs\":200}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(150);
  }

  @Test
  void streamIsPacedByTimeToFirstTokenAndTokensPerSecond() throws Exception {
    upstream.enqueue(Behavior.ok().withTimeToFirstToken(Duration.ofMillis(300))
        .withTokensPerSecond(20).withTokens(5));
    long start = System.nanoTime();
    HttpResponse<java.util.stream.Stream<String>> response = Http.CLIENT.send(
        chatRequest(CHAT_STREAM), HttpResponse.BodyHandlers.ofLines());
    Iterator<String> lines = response.body().iterator();

    String first = nextData(lines);
    long firstAt = elapsedMillis(start);
    String last = first;
    while (lines.hasNext()) {
      String line = lines.next();
      last = line.isEmpty() ? last : line;
    }
    long lastAt = elapsedMillis(start);

    assertThat(first).contains("\"role\":\"assistant\"");
    assertThat(firstAt).isGreaterThanOrEqualTo(250);
    // Four 50 ms gaps between five content chunks.
    assertThat(lastAt - firstAt).isGreaterThanOrEqualTo(150);
    assertThat(last).isEqualTo("data: [DONE]");
  }

  @Test
  void truncatedStreamEndsWithoutDone() throws Exception {
    upstream.enqueue(Behavior.ok().truncatedStream(2));

    var received = new ByteArrayOutputStream();
    Throwable failure = catchThrowable(() -> {
      try (InputStream in = Http.CLIENT.send(chatRequest(CHAT_STREAM),
          HttpResponse.BodyHandlers.ofInputStream()).body()) {
        in.transferTo(received);
      }
    });

    assertThat(failure).isInstanceOf(IOException.class);
    List<String> events = sseData(received.toString(StandardCharsets.UTF_8));
    // A cut connection may lose what was in flight: at most the two events before the cut arrive,
    // never the end of the stream.
    assertThat(events).hasSizeBetween(1, 2).doesNotContain("[DONE]");
    assertThat(upstream.cancelledStreams()).isZero();
  }

  @Test
  void malformedStreamSendsAChunkThatIsNotJson() {
    upstream.enqueue(Behavior.ok().malformedStream());

    HttpResponse<String> response = post(upstream, "/v1/chat/completions", CHAT_STREAM);

    List<String> events = sseData(response.body());
    // A cut connection may lose what was in flight: at most the two events before the cut arrive,
    // never the end of the stream.
    assertThat(events).hasSizeBetween(1, 2).doesNotContain("[DONE]");
    json(events.getFirst());
    assertThatThrownBy(() -> json(events.get(1))).isInstanceOf(Exception.class);
  }

  @Test
  void malformedStreamViaHeader() {
    List<String> events = sseData(post(upstream, "/v1/chat/completions", CHAT_STREAM,
        "x-fake-behavior", "{\"malformed\":true}").body());

    // A cut connection may lose what was in flight: at most the two events before the cut arrive,
    // never the end of the stream.
    assertThat(events).hasSizeBetween(1, 2).doesNotContain("[DONE]");
  }

  @Test
  void hangNeverAnswersSoTheClientTimesOut() {
    upstream.enqueue(Behavior.ok().hang());
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(upstream.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofMillis(300))
        .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();

    assertThatThrownBy(() -> Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void closeConnectionAnswersNothing() {
    assertThatThrownBy(() -> post(upstream, "/v1/chat/completions", CHAT,
        "x-fake-behavior", "{\"close\":true}"))
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void clientLeavingMidStreamIsCountedAndConnectionClosed() throws Exception {
    int before = upstream.openConnections();
    try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
      byte[] body = CHAT_STREAM.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
          + "x-fake-behavior: {\"tps\":20,\"tokens\":100}\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 200");
      assertThat(upstream.openConnections()).isEqualTo(before + 1);
    }

    awaitTrue(() -> upstream.cancelledStreams() == 1);
    awaitTrue(() -> upstream.openConnections() == before);
  }

  @Test
  void recordsRequestsWithLowercaseHeadersAndBody() {
    post(upstream, "/v1/chat/completions?api-version=1", CHAT, "X-Custom", "Value");
    Http.get(upstream, "/v1/models");

    List<RecordedRequest> requests = upstream.requests();
    assertThat(requests).hasSize(2);
    RecordedRequest chat = requests.getFirst();
    assertThat(chat.method()).isEqualTo("POST");
    assertThat(chat.path()).isEqualTo("/v1/chat/completions?api-version=1");
    assertThat(chat.headers()).containsKey("x-custom");
    assertThat(chat.header("X-CUSTOM")).isEqualTo("Value");
    assertThat(chat.json().get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(chat.bodyText()).isEqualTo(CHAT);
    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/models");
    assertThat(upstream.lastRequest().body()).isEmpty();

    assertThat(upstream.awaitRequest(Duration.ofSeconds(1))).isEqualTo(chat);
    assertThat(upstream.awaitRequest(Duration.ofSeconds(1)).path()).isEqualTo("/v1/models");
    assertThat(upstream.awaitRequest(Duration.ofMillis(50))).isNull();
  }

  @Test
  void awaitRequestWaitsForALateRequest() {
    Thread.ofVirtual().start(() -> {
      sleep(100);
      Http.get(upstream, "/late");
    });

    RecordedRequest late = upstream.awaitRequest(Duration.ofSeconds(5));

    assertThat(late).isNotNull();
    assertThat(late.path()).isEqualTo("/late");
  }

  @Test
  void servesH2cWithPriorKnowledge() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      var client = vertx.createHttpClient(new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      var result = client.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setPort(upstream.port()).setHost("127.0.0.1").setURI("/v1/chat/completions"))
          .compose(req -> req.send(CHAT_STREAM))
          .compose(resp -> resp.body().map(body -> resp.version() + "\n" + body))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(result).startsWith("HTTP_2\n").endsWith("data: [DONE]\n\n");
      assertThat(upstream.lastRequest().headers()).containsKey("content-length").isNotNull();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void h2StreamResetByTheClientIsCounted() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      var client = vertx.createHttpClient(new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      client.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setPort(upstream.port()).setHost("127.0.0.1").setURI("/v1/chat/completions")
              .putHeader("x-fake-behavior", "{\"tps\":20,\"tokens\":100}"))
          .compose(req -> req.send(CHAT_STREAM).map(resp -> {
            resp.handler(chunk -> req.reset());
            return resp;
          }))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      awaitTrue(() -> upstream.cancelledStreams() == 1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void h2cUpgradeCountsOneConnection() {
    int before = upstream.openConnections();
    try (var client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_2).build()) {
      HttpResponse<String> response = Http.sendWith(client, chatRequest(CHAT));
      assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
      assertThat(upstream.openConnections()).isEqualTo(before + 1);
    }
    awaitTrue(() -> upstream.openConnections() == before);
  }

  @Test
  void benchmarkSetupServesOnSeveralEventLoopsWithoutRecording() {
    try (var bench = FakeOpenAiUpstream.start(
        FakeOptions.defaults().withEventLoopThreads(2).withRecordRequests(false))) {
      for (int i = 0; i < 4; i++) {
        assertThat(post(bench, "/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
      }
      assertThatThrownBy(bench::requests).isInstanceOf(IllegalStateException.class);
    }
  }

  private static HttpRequest chatRequest(String body) {
    return HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static String nextData(Iterator<String> lines) {
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data: ")) {
        return line;
      }
    }
    throw new AssertionError("stream ended without data");
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5s");
      }
      sleep(10);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
