package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SoakRequestsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectNode OPENAI = SoakRequests.load("openai-request.json");
  private static final ObjectNode ANTHROPIC = SoakRequests.load("anthropic-request.json");

  @Test
  void plainAndStreamedBodiesOfBothApis() throws IOException {
    JsonNode plain = body(OPENAI, TrafficKind.OPENAI_PLAIN, Fault.NONE);
    JsonNode stream = body(ANTHROPIC, TrafficKind.ANTHROPIC_STREAM, Fault.NONE);

    assertThat(plain.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(plain.has("stream")).isFalse();
    assertThat(plain.path("messages").size()).isEqualTo(2);
    assertThat(stream.path("stream").asBoolean()).isTrue();
    assertThat(stream.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(stream.path("system").asText()).startsWith("You are a concise assistant");
  }

  @Test
  void faultsChangeTheBodyAsTheyShould() throws IOException {
    assertThat(body(ANTHROPIC, TrafficKind.ANTHROPIC_PLAIN, Fault.UNKNOWN_MODEL).path("model").asText())
        .isEqualTo(SoakRequests.UNKNOWN_MODEL);
    JsonNode oversize = body(OPENAI, TrafficKind.OPENAI_STREAM, Fault.OVERSIZE_BODY);
    assertThat(oversize.path("messages").get(1).path("content").asText()).hasSize(SoakRequests.OVERSIZE_CONTENT_CHARS);
    assertThat(SoakRequests.body(OPENAI, new RequestMix.Scenario(TrafficKind.OPENAI_PLAIN, Fault.OVERSIZE_BODY)).length)
        .isGreaterThan(2 * 1024 * 1024); // the gateway's default --max-body-bytes
    byte[] cut = SoakRequests.body(OPENAI, new RequestMix.Scenario(TrafficKind.OPENAI_PLAIN, Fault.MALFORMED_JSON));
    assertThatThrownBy(() -> JSON.readTree(cut)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void upstreamFaultsLeaveTheBodyAlone() throws IOException {
    assertThat(body(OPENAI, TrafficKind.OPENAI_PLAIN, Fault.UPSTREAM_500))
        .isEqualTo(body(OPENAI, TrafficKind.OPENAI_PLAIN, Fault.NONE));
  }

  @Test
  void theUpstreamScriptOfEachFault() {
    assertThat(Fault.NONE.upstreamScript(TrafficKind.OPENAI_PLAIN)).isNull();
    assertThat(Fault.NONE.upstreamScript(TrafficKind.ANTHROPIC_STREAM)).isEqualTo(Fault.STREAM_PACING);
    assertThat(Fault.UPSTREAM_SLOW.upstreamScript(TrafficKind.OPENAI_PLAIN)).isEqualTo("{\"delayMs\":1500}");
    assertThat(Fault.UPSTREAM_RESET.upstreamScript(TrafficKind.OPENAI_STREAM)).contains("\"truncateAfter\":3");
    assertThat(Fault.MALFORMED_JSON.upstreamScript(TrafficKind.OPENAI_PLAIN)).isNull();
  }

  @Test
  void theGatewayConfigurationCarriesThePortsAndTheRouteTimeout() throws IOException {
    String yaml = SoakStack.gatewayYaml(18080, 18081);

    assertThat(yaml).contains("port: 18080", "url: \"http://127.0.0.1:18081\"", "backendRequest: 1000ms",
        "value: /v1/chat/completions", "value: /v1/messages").doesNotContain("${");
  }

  private static JsonNode body(ObjectNode template, TrafficKind kind, Fault fault) throws IOException {
    return JSON.readTree(SoakRequests.body(template, new RequestMix.Scenario(kind, fault)));
  }
}
