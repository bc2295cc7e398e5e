package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the gateway's own counts (metrics, log) and checking them against the driver's. */
class GatewayCountsTest {

  private static final String METRICS = """
      # HELP aigis_requests_total Requests handled, by route, backend, model and status
      # TYPE aigis_requests_total counter
      aigis_requests_total{backend="",model="",route="",status="400"} 2.0
      aigis_requests_total{backend="",model="",route="",status="404"} 1.0
      aigis_requests_total{backend="default/fake-openai",model="gpt-4o-mini",route="default/openai-clients",status="200"} 3.0
      aigis_requests_total{backend="default/fake-openai",model="gpt-4o-mini",route="default/anthropic-clients",status="200"} 4.0
      aigis_requests_total{backend="default/fake-openai",model="gpt-4o-mini",route="default/anthropic-clients",status="502"} 1.0
      # HELP aigis_request_duration_seconds Request duration
      # TYPE aigis_request_duration_seconds histogram
      aigis_request_duration_seconds_bucket{backend="",model="",route="",status="400",le="0.01"} 2
      """;

  private static final List<String> LOG = List.of(
      "14:04:42.747 INFO  d.a.s.GatewayServer - admin endpoints on http://127.0.0.1:19901",
      "{\"time\":\"2026-12-07T14:04:51.118Z\",\"request_id\":\"a-1\",\"method\":\"POST\",\"path\":\"/v1/messages\","
          + "\"status\":200,\"duration_ms\":1.2,\"stream\":false,\"bytes_in\":80,\"bytes_out\":640}",
      "{\"time\":\"2026-12-07T14:04:51.218Z\",\"request_id\":\"a-2\",\"method\":\"POST\",\"path\":\"/v1/messages\","
          + "\"status\":502,\"duration_ms\":3.4,\"stream\":true,\"upstream_status\":200,\"error\":\"upstream_invalid_response\"}",
      "14:05:01.002 WARN  d.a.s.p.UpstreamLeg - something odd",
      "\tat dev.aigis.Something.method(Something.java:1)",
      "14:05:02.003 ERROR d.a.s.p.HttpFrontDoor - something broken",
      "{\"time\":\"2026-12-07T14:05:03.000Z\",\"request_id\":\"a-3\",\"method\":\"POST\",\"path\":\"/v1/chat/completions\","
          + "\"status\":200,\"duration_ms\":1.0,\"stream\":false}");

  @Test
  void requestCountersAreSummedByStatusAndOtherFamiliesIgnored() {
    assertThat(PrometheusCounters.requestsByStatus(METRICS)).containsExactly(
        Map.entry(200, 7L), Map.entry(400, 2L), Map.entry(404, 1L), Map.entry(502, 1L));
  }

  @Test
  void theDeltaKeepsWhatChanged() {
    assertThat(PrometheusCounters.delta(Map.of(200, 1L, 404, 1L), Map.of(200, 7L, 404, 1L, 502, 1L)))
        .containsExactly(Map.entry(200, 6L), Map.entry(502, 1L));
  }

  @Test
  void theLogGivesAccessStatusesAndOperationalProblems() {
    GatewayLog log = GatewayLog.summarize(LOG);

    assertThat(log.accessByStatus()).containsExactly(Map.entry(200, 2L), Map.entry(502, 1L));
    assertThat(log.warnings()).isEqualTo(1);
    assertThat(log.errors()).isEqualTo(1);
    assertThat(log.firstProblems()).containsExactly("14:05:01.002 WARN  d.a.s.p.UpstreamLeg - something odd",
        "14:05:02.003 ERROR d.a.s.p.HttpFrontDoor - something broken");
  }

  @Test
  void countsThatMatchStatusByStatusAgree() {
    var counts = List.of(
        count(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(200, Ending.COMPLETE), 5),
        count(TrafficKind.OPENAI_STREAM, Fault.UPSTREAM_RESET, new Outcome(200, Ending.ERROR_EVENT), 2),
        count(TrafficKind.ANTHROPIC_STREAM, Fault.CLIENT_DISCONNECT, new Outcome(200, Ending.CLIENT_ABORT), 1));
    var gateway = Map.of(200, 5L, 499, 1L, 502, 2L);

    CrossCheck check = CrossCheck.of(counts, gateway, gateway);

    assertThat(check.rows()).containsExactly(new CrossCheck.Row(200, 5, 5, 5), new CrossCheck.Row(499, 1, 1, 1),
        new CrossCheck.Row(502, 2, 2, 2));
    assertThat(check.driverUnknown()).isZero();
    assertThat(check.agrees()).isTrue();
  }

  @Test
  void aRequestTheGatewayCountedDifferentlyDisagrees() {
    var counts = List.of(count(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(200, Ending.COMPLETE), 5));

    CrossCheck check = CrossCheck.of(counts, Map.of(200, 4L, 500, 1L), Map.of(200, 4L, 500, 1L));

    assertThat(check.rows()).containsExactly(new CrossCheck.Row(200, 5, 4, 4), new CrossCheck.Row(500, 0, 1, 1));
    assertThat(check.agrees()).isFalse();
  }

  @Test
  void metricsAndAccessLogMustAgreeWithEachOther() {
    var counts = List.of(count(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(200, Ending.COMPLETE), 5));

    assertThat(CrossCheck.of(counts, Map.of(200, 5L), Map.of(200, 4L)).agrees()).isFalse();
  }

  @Test
  void answersTheClientCannotPlaceMayAccountForTheDifferenceExactly() {
    // a no-fault stream cut mid-way: the gateway recorded something (here 502), the client cannot say what
    var counts = List.of(
        count(TrafficKind.OPENAI_STREAM, Fault.NONE, new Outcome(200, Ending.COMPLETE), 5),
        count(TrafficKind.OPENAI_STREAM, Fault.NONE, new Outcome(200, Ending.CUT), 1));

    CrossCheck check = CrossCheck.of(counts, Map.of(200, 5L, 502, 1L), Map.of(200, 5L, 502, 1L));
    assertThat(check.driverUnknown()).isEqualTo(1);
    assertThat(check.agrees()).isTrue();

    CrossCheck missing = CrossCheck.of(counts, Map.of(200, 5L), Map.of(200, 5L));
    assertThat(missing.agrees()).isFalse();
  }

  private static OutcomeTally.Count count(TrafficKind kind, Fault fault, Outcome outcome, long n) {
    return new OutcomeTally.Count(kind, fault, outcome, n, OutcomeClassifier.explained(kind, fault, outcome), null);
  }
}
