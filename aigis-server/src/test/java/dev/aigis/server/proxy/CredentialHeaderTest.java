package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend's own credential header ({@code spec.credentials.header} and {@code prefix}): the key
 * goes out there with its prefix and nowhere else, the client's copy of that header is removed
 * like its Authorization, and an upstream error that echoes the key is scrubbed.
 */
class CredentialHeaderTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  private void start(String credentialsExtra, boolean forwardClientAuthorization) throws Exception {
    String backend = """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: custom-key}
        stringData: {apiKey: sk-custom-secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: custom}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
          forwardClientAuthorization: %s
          credentials: {secretRef: {name: custom-key, key: apiKey}%s}
        """.formatted(upstream.port(), forwardClientAuthorization, credentialsExtra);
    gateway = new FrontDoorFixture(gateway() + backend + route("[]", "[{group: aigis.dev, kind: AIBackend, name: custom}]"),
        UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  @Test
  void theKeyGoesInTheCustomHeaderWithItsPrefixAndNeverInAuthorization() throws Exception {
    start(", header: X-My-Key, prefix: \"Key \"", false);

    HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.header("x-my-key")).isEqualTo("Key sk-custom-secret");
    assertThat(seen.header("authorization")).isNull();
  }

  @Test
  void theClientsCopyOfTheCustomHeaderAndItsAuthorizationAreRemoved() throws Exception {
    start(", header: X-My-Key", false);

    HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT,
        "x-my-key", "client-key", "authorization", "Bearer sk-client");

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.header("x-my-key")).as("no prefix written: none sent").isEqualTo("sk-custom-secret");
    assertThat(seen.header("authorization")).isNull();
  }

  @Test
  void theClientsCopyIsRemovedWhateverItsCase() throws Exception {
    start(", header: X-My-Key", false);

    gateway.post("/v1/chat/completions", CHAT, "X-MY-KEY", "client-key");

    assertThat(upstream.lastRequest().headers().get("x-my-key")).containsExactly("sk-custom-secret");
  }

  @Test
  void aPrefixAloneKeepsAuthorization() throws Exception {
    start(", prefix: \"Token \"", false);

    gateway.post("/v1/chat/completions", CHAT);

    assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Token sk-custom-secret");
  }

  @Test
  void forwardClientAuthorizationKeepsTheClientsCopyWhenTheGatewayHasNoKeyToSet() throws Exception {
    start(", header: X-My-Key", true);

    gateway.post("/v1/chat/completions", CHAT, "x-client-only", "1", "authorization", "Bearer sk-client");

    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.header("authorization")).as("forwarded: the backend opted in").isEqualTo("Bearer sk-client");
    assertThat(seen.header("x-my-key")).isEqualTo("sk-custom-secret");
  }

  @Test
  void anUpstreamErrorThatEchoesTheKeyFromTheCustomHeaderIsRedacted() throws Exception {
    start(", header: X-My-Key, prefix: \"Key \"", false);
    upstream.enqueue(Behavior.ok().withStatus(401,
        "{\"error\":{\"message\":\"Bad X-My-Key: Key sk-custom-secret\",\"type\":\"invalid_request_error\"}}"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("sk-custom-secret")
        .isEqualTo("{\"error\":{\"message\":\"Bad X-My-Key: Key [REDACTED]\",\"type\":\"invalid_request_error\"}}");
  }
}
