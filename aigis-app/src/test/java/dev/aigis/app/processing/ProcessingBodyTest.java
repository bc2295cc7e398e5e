package dev.aigis.app.processing;

import static dev.aigis.app.processing.Processing.GATEWAY;
import static dev.aigis.app.processing.Processing.base;
import static dev.aigis.app.processing.Processing.processor;
import static dev.aigis.app.processing.Processing.setHeader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the request body is buffered, and what a body mutation leaves on the wire. */
class ProcessingBodyTest {

  private static final int LIMIT = 1024;

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

  private static GatewayFixture start(String processors) {
    return GatewayFixture.start(base(upstream.port()) + processors,
        Processing.OPTIONS.withMaxRequestBodyBytes(LIMIT), Map.of());
  }

  /** 4 KiB of bytes that are not JSON (nor UTF-8), four times the body limit. */
  private static final byte[] UPLOAD = new byte[4 * LIMIT];

  static {
    for (int i = 0; i < UPLOAD.length; i++) {
      UPLOAD[i] = (byte) (i * 31 + 7);
    }
  }

  private static HttpResponse<String> upload(GatewayFixture gateway) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/files"))
        .header("content-type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(UPLOAD)).build());
  }

  @Test
  void headerOnlyProcessorsLeaveAnOversizeNonJsonBodyStreaming() {
    try (GatewayFixture gateway = start(processor("pre", GATEWAY, "PreRouting",
        setHeader("stamp", "x-pre", "request.path")))) {
      HttpResponse<String> response = upload(gateway);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-aigis-processors")).hasValue("default/pre/stamp");
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.header("x-pre")).isEqualTo("/v1/files");
      assertThat(received.body()).hasSize(UPLOAD.length);
      assertThat(Arrays.equals(received.body(), UPLOAD)).isTrue();
    }
  }

  @Test
  void aProcessorThatReadsTheBodyMakesTheSameRequestA413() {
    try (GatewayFixture gateway = start(processor("pre", GATEWAY, "PreRouting",
        setHeader("size", "x-size", "string(size(request.body))")))) {
      HttpResponse<String> response = upload(gateway);

      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"Request body exceeds the limit of 1024 bytes\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"request_too_large\"}}");
      assertThat(upstream.requests()).isEmpty();
    }
  }

  private static HttpResponse<String> chat(GatewayFixture gateway, String body) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json").header("x-team", "platform")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void setBodyFieldsAddsTheFieldAndContentLengthFollows() {
    try (GatewayFixture gateway = start(processor("post", GATEWAY, "PostRouting",
        "{name: team, inProcess: {request: {setBodyFields: [{path: $.metadata.team, value: \"request.headers['x-team']\"}]}}}"))) {
      HttpResponse<String> response = chat(gateway, "{\"model\":\"model-a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

      assertThat(response.statusCode()).isEqualTo(200);
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.bodyText()).isEqualTo(
          "{\"model\":\"model-a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"team\":\"platform\"}}");
      assertThat(received.headers().get("content-length")).containsExactly(Integer.toString(received.body().length));
      assertThat(received.json().at("/metadata/team").asText()).isEqualTo("platform");
    }
  }

  @Test
  void removeBodyFieldsRemovesTheFieldAndContentLengthFollows() {
    try (GatewayFixture gateway = start(processor("pre", GATEWAY, "PreRouting",
        "{name: drop-user, inProcess: {request: {removeBodyFields: [$.user]}}}"))) {
      HttpResponse<String> response = chat(gateway,
          "{\"model\":\"model-a\",\"user\":\"alice@example.com\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

      assertThat(response.statusCode()).isEqualTo(200);
      RecordedRequest received = upstream.lastRequest();
      assertThat(received.bodyText()).isEqualTo("{\"model\":\"model-a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(received.headers().get("content-length")).containsExactly(Integer.toString(received.body().length));
      assertThat(received.json().has("user")).isFalse();
    }
  }
}
