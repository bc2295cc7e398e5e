package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.echoBackend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.metrics.GatewayMetrics;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a catch-all route a client can send any model name; only names the configuration
 * declares become metric labels, every other one is {@code other}, so invented names mint no series.
 */
class MetricLabelsTest {

  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    // One route declares "declared-model" (an Exact model-header match); the other catches the rest.
    gateway = new FrontDoorFixture(gateway() + echoBackend() + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: declared}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: declared-model}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """ + route("[]", "[{group: aigis.dev, kind: AIBackend, name: echo}]").replace("name: models", "name: catch-all"),
        UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void inventedModelNamesAreCountedAsOtherAndDeclaredOnesByName() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(chat("invented-" + i)).isEqualTo(200);
    }
    assertThat(chat("declared-model")).isEqualTo(200);

    String metrics = gateway.scrape();
    assertThat(metrics).doesNotContain("invented-");
    assertThat(metrics).contains("aigis_requests_total{backend=\"default/echo\",model=\"other\",route=\"default/catch-all\",status=\"200\"} 50.0");
    assertThat(metrics).contains("aigis_requests_total{backend=\"default/echo\",model=\"declared-model\",route=\"default/declared\",status=\"200\"} 1.0");
  }

  @Test
  void aFamilyPastItsCapCountsNewLabelSetsUnderOther() {
    var metrics = new GatewayMetrics(3);
    for (int status = 200; status < 210; status++) {
      metrics.recordRequest(new GatewayMetrics.RequestLabels("default/r", "default/b", "m", status), 1_000_000);
    }

    String scraped = metrics.scrape();
    assertThat(scraped.lines().filter(l -> l.startsWith("aigis_requests_total{"))).hasSize(4);
    assertThat(scraped).contains("aigis_requests_total{backend=\"other\",model=\"other\",route=\"other\",status=\"other\"} 7.0");
    assertThat(scraped).contains("aigis_requests_total{backend=\"default/b\",model=\"m\",route=\"default/r\",status=\"200\"} 1.0");
  }

  private int chat(String model) throws Exception {
    return gateway.post("/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode();
  }
}
