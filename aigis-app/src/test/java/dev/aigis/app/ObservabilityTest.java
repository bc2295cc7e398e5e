package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Admin endpoints, Prometheus metrics and the access log. */
class ObservabilityTest {

  static FakeOpenAiUpstream upstream;
  static GatewayFixture gateway;
  static ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

  @BeforeAll
  static void start() {
    Logger logger = (Logger) LoggerFactory.getLogger("aigis.access");
    accessLog.start();
    logger.addAppender(accessLog);
    upstream = FakeOpenAiUpstream.start();
    gateway = GatewayFixture.start(Configs.openAiUpstream(upstream.port()));
    upstream.enqueue(Behavior.ok().withReply("the answer").withUsage(11, 5));
    assertThat(gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"a private prompt\"}]}").statusCode())
        .isEqualTo(200);
    upstream.enqueue(Behavior.ok().withReply("x y z").withTokens(3).withUsage(4, 3));
    assertThat(gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"streamed prompt\"}]}")
        .statusCode()).isEqualTo(200);
    assertThat(gateway.post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}").statusCode()).isEqualTo(404);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("aigis.access")).detachAppender(accessLog);
    gateway.close();
    upstream.close();
  }

  @Test
  void healthAndReadiness() {
    assertThat(gateway.admin("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = gateway.admin("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
  }

  @Test
  void requestCountsByRouteBackendModelAndStatus() {
    String metrics = gateway.admin("/metrics").body();
    assertThat(metrics).contains(
        "aigis_requests_total{backend=\"default/fake\",model=\"gpt-4o-mini\",route=\"default/models\",status=\"200\"} 2.0");
    // Unrouted requests carry no client-chosen label values, so cardinality stays bounded.
    assertThat(metrics).contains("aigis_requests_total{backend=\"\",model=\"\",route=\"\",status=\"404\"} 1.0");
    assertThat(metrics).contains("aigis_request_duration_seconds_count{backend=\"default/fake\",model=\"gpt-4o-mini\",route=\"default/models\",status=\"200\"} 2");
  }

  @Test
  void genAiTokenUsageDurationAndTimeToFirstToken() {
    String metrics = gateway.admin("/metrics").body();
    String labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\"";
    assertThat(metrics).contains("gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"input\"} 15.0");
    assertThat(metrics).contains("gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"output\"} 8.0");
    assertThat(metrics).contains("gen_ai_server_request_duration_seconds_count{" + labels + "} 2");
    assertThat(metrics).contains("gen_ai_server_time_to_first_token_seconds_count{" + labels + "} 1");
  }

  @Test
  void accessLogHasOneJsonLinePerRequestWithoutPromptsOrSecrets() {
    var lines = accessLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.getFirst())
        .startsWith("{\"time\":\"")
        .contains("\"method\":\"POST\",\"path\":\"/v1/chat/completions\",\"status\":200")
        .contains("\"route\":\"default/models\",\"backend\":\"default/fake\",\"model\":\"gpt-4o-mini\",\"operation\":\"chat\",\"stream\":false")
        .contains("\"upstream_status\":200,\"input_tokens\":11,\"output_tokens\":5");
    assertThat(lines.get(1)).contains("\"stream\":true").contains("\"ttft_ms\":").contains("\"input_tokens\":4,\"output_tokens\":3");
    assertThat(lines.get(2)).contains("\"status\":404").contains("\"error\":\"model_not_found\"");
    assertThat(String.join("\n", lines))
        .doesNotContain("private prompt")
        .doesNotContain("streamed prompt")
        .doesNotContain("the answer")
        .doesNotContain("sk-upstream-secret");
  }
}
