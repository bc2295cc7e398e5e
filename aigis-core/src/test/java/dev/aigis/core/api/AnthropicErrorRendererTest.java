package dev.aigis.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicErrorRendererTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(new GatewayError.InvalidRequest("max_tokens: Field required", "max_tokens"),
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}"),
        Arguments.of(new GatewayError.MalformedJson("Unexpected character", 1, 5),
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid JSON in request body at line 1, column 5: Unexpected character\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 401),
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Upstream claude answered HTTP 401\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 402),
            "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"Upstream claude answered HTTP 402\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 403),
            "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"Upstream claude answered HTTP 403\"}}"),
        Arguments.of(new GatewayError.ModelNotFound("claude-9"),
            "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"The model `claude-9` does not exist or is not served by this gateway\"}}"),
        Arguments.of(new GatewayError.RouteNotFound("POST", "/v2/x"),
            "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"No route matches POST /v2/x\"}}"),
        Arguments.of(new GatewayError.BodyTooLarge(1024),
            "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"Request body exceeds the limit of 1024 bytes\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 422),
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Upstream claude answered HTTP 422\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 429),
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Upstream claude answered HTTP 429\"}}"),
        Arguments.of(new GatewayError.Internal("boom \"quoted\""),
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom \\\"quoted\\\"\"}}"),
        Arguments.of(new GatewayError.UpstreamUnreachable("claude"),
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Upstream claude is unreachable\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 503),
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Upstream claude answered HTTP 503\"}}"),
        Arguments.of(new GatewayError.UpstreamTimeout("claude", 30000),
            "{\"type\":\"error\",\"error\":{\"type\":\"timeout_error\",\"message\":\"Upstream claude did not answer within 30000 ms\"}}"),
        Arguments.of(new GatewayError.UpstreamStatus("claude", 529),
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Upstream claude answered HTTP 529\"}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void rendersTheAnthropicTypeForTheStatus(GatewayError error, String expected) {
    assertThat(new String(AnthropicErrorRenderer.INSTANCE.body(error), StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Test
  void inAStreamTheSameBodyIsAnErrorEvent() {
    var error = new GatewayError.UpstreamStatus("claude", 529);
    assertThat(new String(AnthropicErrorRenderer.INSTANCE.streamEvent(error), StandardCharsets.UTF_8)).isEqualTo(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Upstream claude answered HTTP 529\"}}\n\n");
    assertThat(AnthropicErrorRenderer.INSTANCE.contentType()).isEqualTo("application/json");
  }
}
