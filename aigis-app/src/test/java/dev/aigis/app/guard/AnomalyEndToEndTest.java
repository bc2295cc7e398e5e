package dev.aigis.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.GatewayFixture;
import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anomaly detection through the gateway on a manual clock: a caller (here its address, as it has
 * no identity) sends two requests a minute for ten minutes, then a burst within one minute. The
 * burst is flagged in the response header once it leaves the baseline, or refused with a 429 by
 * a throttling policy; the requests before it are not.
 */
class AnomalyEndToEndTest {

  static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  static final AtomicReference<Instant> now = new AtomicReference<>(START);
  static FakeOpenAiUpstream openai;

  @BeforeAll
  static void start() {
    openai = FakeOpenAiUpstream.start();
  }

  @AfterAll
  static void stop() {
    openai.close();
  }

  @Test
  void aBurstFromOneCallerIsFlaggedOnceItLeavesItsBaseline() {
    try (var gateway = gateway("{action: Flag, minHistory: 5, signals: [rate]}")) {
      assertThat(baseline(gateway)).allMatch(r -> r.statusCode() == 200 && r.headers().firstValue("x-aigis-guardrail").isEmpty());
      List<String> flags = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", GuardrailEndToEndTest.chat("gpt-4o-mini", "hi", false));
        assertThat(response.statusCode()).isEqualTo(200);
        flags.add(response.headers().firstValue("x-aigis-guardrail").orElse(""));
      }
      // The baseline is log(1 + 2) per active minute with the 0.3 standard-deviation floor: four
      // deviations above it is log(1 + n) >= 2.30, so the ninth request of the burst minute is the first flagged.
      assertThat(flags.subList(0, 8)).containsOnly("");
      assertThat(flags.subList(8, 12)).containsOnly("anomaly");
      assertThat(gateway.admin("/metrics").body()).contains(
          "aigis_guardrail_decisions_total{decision=\"flagged\",guard=\"anomaly\",policy=\"default/guards/guard\"} 4.0");
    }
  }

  @Test
  void aThrottlingPolicyRefusesTheBurstWithA429() {
    try (var gateway = gateway("{action: Throttle, minHistory: 5, signals: [rate]}")) {
      baseline(gateway);
      List<Integer> statuses = new ArrayList<>();
      HttpResponse<String> last = null;
      for (int i = 0; i < 10; i++) {
        last = gateway.post("/v1/chat/completions", GuardrailEndToEndTest.chat("gpt-4o-mini", "hi", false));
        statuses.add(last.statusCode());
      }
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 200, 200, 200, 429, 429);
      assertThat(last.body()).isEqualTo("{\"error\":{\"message\":\"Request refused by guardrail policy default/guards/guard:"
          + " unusual traffic from this caller\",\"type\":\"requests\",\"param\":null,\"code\":\"anomalous_traffic\"}}");
    }
  }

  /** Ten minutes of two requests a minute; the clock then stands in a fresh minute. */
  private static List<HttpResponse<String>> baseline(GatewayFixture gateway) {
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int minute = 0; minute < 10; minute++) {
      for (int i = 0; i < 2; i++) {
        responses.add(gateway.post("/v1/chat/completions", GuardrailEndToEndTest.chat("gpt-4o-mini", "hi", false)));
      }
      now.set(now.get().plus(Duration.ofMinutes(1)));
    }
    return responses;
  }

  private static GatewayFixture gateway(String anomaly) {
    return GatewayFixture.start(GuardTexts.config(openai.port(), openai.port(), "unused", "anomaly: " + anomaly + "\n"),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of(), () -> now.get());
  }
}
