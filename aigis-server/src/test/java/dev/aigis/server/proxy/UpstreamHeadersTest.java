package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream leg's one header policy, the same for a native and a translated request: the
 * client's end-to-end headers as the route filters left them, minus what the gateway owns
 * (hop-by-hop, Host, the client's credentials) and, when translated, minus the headers that
 * describe the client's API; then the backend's credential, Host and the request id.
 */
class UpstreamHeadersTest {

  private static final String FILTERS = """
      [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-team, value: red}], remove: [x-drop-me]}}]""";

  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", upstream.port())
        + route(FILTERS, "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @Test
  void nativeRequestKeepsTheClientsHeadersButNotItsCredentialsOrHopByHopHeaders() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer sk-client", "x-custom", "kept", "x-drop-me", "1", "te", "trailers",
        "proxy-authorization", "Basic c2VjcmV0", "x-request-id", "req-native", "x-api-key", "sk-client-anthropic-style",
        "api-key", "sk-client-azure-style", "cookie", "session=s3cr3t");

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-openai");
    assertThat(seen.header("x-custom")).isEqualTo("kept");
    assertThat(seen.header("x-team")).isEqualTo("red");
    assertThat(seen.header("x-drop-me")).isNull();
    assertThat(seen.header("te")).isNull();
    assertThat(seen.header("proxy-authorization")).isNull();
    assertThat(seen.header("x-api-key")).as("a client credential in any SDK's header stays here").isNull();
    assertThat(seen.header("api-key")).isNull();
    assertThat(seen.header("cookie")).isNull();
    assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(seen.header("x-request-id")).isEqualTo("req-native");
    assertThat(seen.header("accept-encoding")).as("usage is read from the body").isEqualTo("identity");
  }

  @Test
  void translatedRequestLosesTheHeadersOfTheClientsApiAndGetsTheBackendsOwn() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/messages",
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", "sk-client", "anthropic-version", "2023-06-01", "anthropic-beta", "tools-2024-04-04",
        "x-stainless-lang", "js", "accept", "application/json", "x-custom", "kept", "x-drop-me", "1",
        "x-request-id", "req-translated");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"type\":\"message\"");
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/chat/completions");
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-openai");
    assertThat(seen.header("x-api-key")).isNull();
    assertThat(seen.header("anthropic-version")).isNull();
    assertThat(seen.header("anthropic-beta")).isNull();
    assertThat(seen.header("x-stainless-lang")).isNull();
    assertThat(seen.header("content-type")).isEqualTo("application/json");
    assertThat(seen.header("x-custom")).isEqualTo("kept");
    assertThat(seen.header("x-team")).isEqualTo("red");
    assertThat(seen.header("x-drop-me")).isNull();
    assertThat(seen.header("x-request-id")).isEqualTo("req-translated");
  }

  @Test
  void anUpstreamErrorThatRepeatsTheKeyReachesTheClientWithTheKeyRedacted() throws Exception {
    upstream.enqueue(dev.aigis.testkit.Behavior.ok().withStatus(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: sk-openai. Check it.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("sk-openai")
        .isEqualTo("{\"error\":{\"message\":\"Incorrect API key provided: [REDACTED]. Check it.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
    assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(response.body().length()));
  }

  @Test
  void aTranslatedUpstreamErrorThatRepeatsTheKeyIsRedactedToo() throws Exception {
    upstream.enqueue(dev.aigis.testkit.Behavior.ok().withStatus(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: sk-openai\",\"type\":\"invalid_request_error\"}}"));

    HttpResponse<String> response = gateway.post("/v1/messages",
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("sk-openai").contains("\"type\":\"error\"");
  }
}
