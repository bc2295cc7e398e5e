package dev.aigis.app.processing;

import static dev.aigis.app.processing.Processing.GATEWAY;
import static dev.aigis.app.processing.Processing.base;
import static dev.aigis.app.processing.Processing.chat;
import static dev.aigis.app.processing.Processing.processor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Response processing: headers from status and usage, and SSE streams passing through intact. */
class ResponseProcessingTest {

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

  private static final String RESPONSE_HEADERS = processor("post", GATEWAY, "PostRouting",
      "{name: stamp, inProcess: {response: {setHeaders: [{name: x-status, value: \"string(response.status)\"},"
          + " {name: x-tokens, value: \"string(response.usage.total)\"}]}}}");

  @Test
  void responseProcessorSetsHeadersFromStatusAndUsageOnANonStreamedAnswer() {
    upstream.enqueue(Behavior.ok().withUsage(11, 7));
    try (GatewayFixture gateway = Processing.start(base(upstream.port()) + RESPONSE_HEADERS)) {
      HttpResponse<String> response = chat(gateway, "model-a");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"total_tokens\":18");
      assertThat(response.headers().firstValue("x-status")).hasValue("200");
      assertThat(response.headers().firstValue("x-tokens")).hasValue("18");
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/post/stamp");
    }
  }

  private static HttpResponse<String> stream(GatewayFixture gateway) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"model-a\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
  }

  /** The SSE events of {@code body}, with the fake's request-specific id and timestamp masked. */
  private static List<String> events(String body) {
    return Stream.of(body.split("\n\n"))
        .map(e -> e.replaceAll("\"id\":\"chatcmpl-fake\\d+\"", "\"id\":\"ID\"").replaceAll("\"created\":\\d+", "\"created\":0"))
        .toList();
  }

  @Test
  void streamedAnswerArrivesEventByEventUnchangedWithAResponseProcessor() {
    Behavior behavior = Behavior.ok().withReply("one two three four five six").withTokens(6);
    String direct;
    try (GatewayFixture plain = Processing.start(base(upstream.port()))) {
      upstream.enqueue(behavior);
      direct = stream(plain).body();
    }
    try (GatewayFixture gateway = Processing.start(base(upstream.port()) + RESPONSE_HEADERS)) {
      upstream.enqueue(behavior);
      HttpResponse<String> response = stream(gateway);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      assertThat(response.headers().firstValue("x-status")).hasValue("200");
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/post/stamp");
      // Same events, same order, same bytes; only the fake's per-request id and clock differ.
      assertThat(events(response.body())).isEqualTo(events(direct)).hasSize(9).last().isEqualTo("data: [DONE]");
      assertThat(String.join("", events(response.body()).stream()
          .filter(e -> e.contains("\"content\":\"")).map(e -> e.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1")).toList()))
          .isEqualTo("one two three four five six");
    }
  }
}
