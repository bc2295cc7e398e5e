package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code PathPrefix /v1} route allows what is under {@code /v1} once the path is normalised, and
 * the upstream gets the normalised path: dot segments, encoded or not, cannot climb out of the
 * prefix, and an encoded slash is refused rather than left for the upstream to interpret.
 */
class PathNormalizationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", upstream.port()) + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: v1-only}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v1}}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        """, UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @Test
  void dotSegmentsThatLeaveThePrefixMatchNoRouteAndReachNoUpstream() throws Exception {
    for (String path : new String[] {"/v1/../internal/", "/v1/%2e%2e/internal/", "/v1/%2E%2E/internal"}) {
      String answer = get(path);
      assertThat(answer).as(path).startsWith("HTTP/1.1 404 ");
      assertThat(body(answer)).as(path).contains("\"code\":\"route_not_found\"").contains("/internal");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void anEncodedSlashIsA400() throws Exception {
    String answer = get("/v1/%2E%2E%2Finternal");

    assertThat(answer).startsWith("HTTP/1.1 400 ");
    assertThat(JSON.readTree(body(answer)).at("/error/message").asText())
        .isEqualTo("The request path has an encoded slash (%2F or %5C), which Aigis does not forward");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void theUpstreamGetsTheNormalisedPath() throws Exception {
    String answer = raw("POST /v1/./chat/%63ompletions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + CHAT.length() + "\r\nConnection: close\r\n\r\n" + CHAT);

    assertThat(answer).startsWith("HTTP/1.1 200 ");
    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/chat/completions");
    assertThat(JSON.readTree(body(answer)).at("/object").asText()).as("read as a chat call").isEqualTo("chat.completion");
  }

  private String get(String path) throws Exception {
    return raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  private static String body(String answer) {
    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }

  /** One request as written (HTTP clients normalise paths themselves) and the answer up to the close. */
  private String raw(String request) throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
