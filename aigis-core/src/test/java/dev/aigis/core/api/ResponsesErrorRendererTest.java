package dev.aigis.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Responses clients get OpenAI's error body, and {@code response.failed} once a stream began. */
class ResponsesErrorRendererTest {

  private final GatewayError error = new GatewayError.ProviderError(529, "overloaded_error", "overloaded_error",
      "Overloaded", "anthropic");

  @Test
  void aWholeBodyIsOpenAisErrorObject() {
    assertThat(ResponsesErrorRenderer.INSTANCE.body(error)).isEqualTo(OpenAiErrorRenderer.INSTANCE.body(error));
    assertThat(ResponsesErrorRenderer.INSTANCE.contentType()).isEqualTo("application/json");
  }

  @Test
  void aStreamEndsWithResponseFailedCarryingTheErrorTwice() {
    assertThat(new String(ResponsesErrorRenderer.INSTANCE.streamEvent(error), StandardCharsets.UTF_8)).isEqualTo(
        "event: response.failed\n"
            + "data: {\"type\":\"response.failed\",\"response\":{\"object\":\"response\",\"status\":\"failed\","
            + "\"error\":{\"code\":\"overloaded_error\",\"message\":\"Overloaded\"},\"incomplete_details\":null,"
            + "\"output\":[]},\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,"
            + "\"code\":\"overloaded_error\"}}\n\n");
  }
}
