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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviours scripted through the queue and the x-fake-behavior header. */
class FakeOpenAiUpstreamScriptingTest {

  /** A bound for a broken test; nothing here waits for time to pass. */
  static final Duration WAIT = Duration.ofSeconds(10);

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
  void headerDelayHoldsTheResponseUntilItHasPassed() throws Exception {
    var time = new ManualScheduler();
    try (var paced = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(time))) {
      CompletableFuture<HttpResponse<String>> response = Http.CLIENT.sendAsync(
          chatRequest(paced, CHAT, "x-fake-behavior", "{\"delayMs\":200}"),
          HttpResponse.BodyHandlers.ofString());

      assertThat(time.awaitDelay(WAIT)).isEqualTo(Duration.ofMillis(200));
      assertThat(response).as("nothing is sent before the delay has passed").isNotDone();
      time.advance(Duration.ofMillis(200));

      assertThat(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(time.delays()).containsExactly(Duration.ofMillis(200));
    }
  }

  @Test
  void streamIsPacedByTimeToFirstTokenAndTokensPerSecond() throws Exception {
    var time = new ManualScheduler();
    try (var paced = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(time))) {
      paced.enqueue(Behavior.ok().withTimeToFirstToken(Duration.ofMillis(300))
          .withTokensPerSecond(20).withTokens(5));
      Iterator<String> lines = Http.CLIENT.send(chatRequest(paced, CHAT_STREAM),
          HttpResponse.BodyHandlers.ofLines()).body().iterator();

      // The head is sent at once; the first chunk waits for the time to first token.
      assertThat(time.awaitDelay(WAIT)).isEqualTo(Duration.ofMillis(300));
      assertThat(paced.eventsStreamed()).isZero();
      time.advance(Duration.ofMillis(300));
      assertThat(nextData(lines)).contains("\"role\":\"assistant\"");
      assertThat(nextData(lines)).contains("\"content\":\"Hello\"");

      // Then one content chunk per 1/20 s: four 50 ms gaps between five chunks. The fake counts an
      // event before it schedules the next one, so the count is exact once the delay is seen.
      List<String> words = List.of(" from", " the", " fake", " OpenAI");
      for (int i = 0; i < words.size(); i++) {
        assertThat(time.awaitDelay(WAIT)).isEqualTo(Duration.ofMillis(50));
        assertThat(paced.eventsStreamed()).as("events before gap %d has passed", i + 1).isEqualTo(2 + i);
        time.advance(Duration.ofMillis(50));
        assertThat(nextData(lines)).contains("\"content\":\"" + words.get(i) + "\"");
      }

      // The finish chunk and [DONE] follow the last content chunk without a wait.
      assertThat(nextData(lines)).contains("\"finish_reason\":\"stop\"");
      assertThat(nextData(lines)).isEqualTo("data: [DONE]");
      List<String> rest = new ArrayList<>();
      lines.forEachRemaining(rest::add);
      assertThat(rest).as("the stream ends after [DONE]").allMatch(String::isEmpty);
      assertThat(time.delays()).containsExactly(Duration.ofMillis(300), Duration.ofMillis(50),
          Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50));
      assertThat(paced.eventsStreamed()).isEqualTo(1 + 5 + 1 + 1);
    }
  }

  @Test
  void nonStreamedAnswerWaitsAsLongAsTheStreamWouldHaveTaken() throws Exception {
    var time = new ManualScheduler();
    try (var paced = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(time))) {
      paced.enqueue(Behavior.ok().withTimeToFirstToken(Duration.ofMillis(300))
          .withTokensPerSecond(20).withTokens(5));
      CompletableFuture<HttpResponse<String>> response = Http.CLIENT.sendAsync(
          chatRequest(paced, CHAT), HttpResponse.BodyHandlers.ofString());

      // ttft + (tokens - 1) / tps
      assertThat(time.awaitDelay(WAIT)).isEqualTo(Duration.ofMillis(500));
      assertThat(response).isNotDone();
      time.advance(Duration.ofMillis(500));

      assertThat(json(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).body())
          .get("choices").get(0).get("message").get("content").asText())
          .isEqualTo("Hello from the fake OpenAI");
    }
  }

  @Test
  void aClientLeavingBeforeTheNextChunkCancelsItsTimer() throws Exception {
    var time = new ManualScheduler();
    try (var paced = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(time));
        Socket socket = new Socket("127.0.0.1", paced.port())) {
      sendRaw(socket, CHAT_STREAM, "{\"ttftMs\":1000}");
      assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 200");
      assertThat(time.awaitDelay(WAIT)).isEqualTo(Duration.ofSeconds(1));

      socket.close();

      assertThat(paced.awaitCancelledStreams(1, WAIT)).isTrue();
      assertThat(time.pending()).as("the pacing timer is cancelled with the stream").isZero();
      assertThat(paced.eventsStreamed()).isZero();
    }
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
  void hangNeverAnswersUntilTheServerCloses() throws Exception {
    try (var hanging = FakeOpenAiUpstream.start()) {
      hanging.enqueue(Behavior.ok().hang());
      CompletableFuture<HttpResponse<String>> response = Http.CLIENT.sendAsync(
          chatRequest(hanging, CHAT), HttpResponse.BodyHandlers.ofString());
      assertThat(hanging.awaitRequest(WAIT).path()).isEqualTo("/v1/chat/completions");

      hanging.close();

      assertThatThrownBy(() -> response.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("closed without an answer").hasCauseInstanceOf(IOException.class);
    }
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
      sendRaw(socket, CHAT_STREAM, "{\"tps\":20,\"tokens\":100}");
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 200");
      assertThat(upstream.openConnections()).isEqualTo(before + 1);
    }

    assertThat(upstream.awaitCancelledStreams(1, WAIT)).isTrue();
    assertThat(upstream.awaitOpenConnections(before, WAIT)).isTrue();
    assertThat(upstream.cancelledStreams()).isEqualTo(1);
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
    assertThat(upstream.awaitRequest(Duration.ZERO)).isNull();
  }

  @Test
  void awaitRequestWaitsForALateRequest() throws Exception {
    CompletableFuture<RecordedRequest> awaited = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> awaited.complete(upstream.awaitRequest(WAIT)));
    assertThat(awaited).as("no request yet").isNotDone();

    Http.get(upstream, "/late");

    RecordedRequest late = awaited.get(WAIT.toSeconds(), TimeUnit.SECONDS);
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

      assertThat(upstream.awaitCancelledStreams(1, WAIT)).isTrue();
      assertThat(upstream.cancelledStreams()).isEqualTo(1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void h2cUpgradeCountsOneConnection() throws Exception {
    int before = upstream.openConnections();
    try (var client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_2).build()) {
      HttpResponse<String> response = Http.sendWith(client, chatRequest(CHAT));
      assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
      assertThat(upstream.openConnections()).isEqualTo(before + 1);
    }
    assertThat(upstream.awaitOpenConnections(before, WAIT)).isTrue();
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
    return chatRequest(upstream, body);
  }

  private static HttpRequest chatRequest(FakeOpenAiUpstream target, String body, String... headers) {
    var request = HttpRequest.newBuilder(URI.create(target.baseUrl() + "/v1/chat/completions"))
        .timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request.build();
  }

  /** An HTTP/1.1 chat request written on {@code socket}, scripted by {@code behavior}. */
  private static void sendRaw(Socket socket, String body, String behavior) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
        + "x-fake-behavior: " + behavior + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
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
}
