package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.echoBackend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A CEL processor cannot turn a large body into seconds of event-loop work or a gigabyte of output:
 * loops run on the worker pool under a cost budget, and the values they produce are capped. The
 * client gets the processor's failure in its own API format.
 */
class CelBoundsTest {

  private static final String HUNDRED = "[" + "1,".repeat(99) + "1]";

  private static String processor(String mutations) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: heavy}
        spec:
          targetRef: {kind: Gateway, name: gw}
          phase: PreRouting
          processors:
          - name: scan
            type: InProcess
            timeout: 5s
            inProcess:
              request:
        %s
        """.formatted(mutations.indent(8).stripTrailing());
  }

  private static String bigRequest(int contentLength) {
    return "{\"model\":\"aigis-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(contentLength) + "\"}]}";
  }

  @Test
  void aLoopScanningALargeBodyIsStoppedByItsCostBudget() throws Exception {
    String yaml = gateway() + echoBackend() + route("[]", "[{group: aigis.dev, kind: AIBackend, name: echo}]")
        + processor("setHeaders:\n- {name: x-hits, value: \"string(" + HUNDRED
            + ".filter(x, request.body.contains('zz')).size())\"}");
    try (var gateway = FrontDoorFixture.withYamlProcessors(yaml)) {
      var response = gateway.post("/v1/chat/completions", bigRequest(1_000_000));

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"Processor scan failed: "
          + "inProcess.request.setHeaders[0].value: cost limit exceeded (50000000 units)\",\"type\":\"server_error\","
          + "\"param\":null,\"code\":\"processor_failed\"}}");
    }
  }

  @Test
  void aBodyFieldThatWouldMultiplyTheBodyIsRefusedAndNothingIsSent() throws Exception {
    String yaml = gateway() + echoBackend() + route("[]", "[{group: aigis.dev, kind: AIBackend, name: echo}]")
        + processor("setBodyFields:\n- {path: $.copies, value: \"" + HUNDRED + ".map(x, request.body)\"}");
    try (var gateway = FrontDoorFixture.withYamlProcessors(yaml)) {
      var response = gateway.post("/v1/chat/completions", bigRequest(100_000));

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("\"code\":\"processor_failed\"")
          .contains("inProcess.request.setBodyFields[0].value: the value is larger than 8388608 bytes");
    }
  }
}
