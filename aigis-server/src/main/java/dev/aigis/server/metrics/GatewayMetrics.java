package dev.aigis.server.metrics;

import dev.aigis.core.usage.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own request metrics plus the OpenTelemetry GenAI metrics, exported in Prometheus
 * format. Meters are cached per label set so the request path does one map lookup, not a registry
 * search. Label values come from configuration (route, backend, routed model), never from raw
 * client input, so cardinality stays bounded by the configuration.
 */
public final class GatewayMetrics {

  /** OTel GenAI semantic-convention bucket boundaries. */
  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };
  private static final double[] DURATION_BUCKETS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };
  private static final double[] PROCESSOR_BUCKETS = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
  private static final double[] TTFT_BUCKETS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0
  };

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<RequestLabels, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<GenAiLabels, GenAiMeters> genAiMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ProcessorLabels, Timer> processorMeters = new ConcurrentHashMap<>();

  /** Labels of per-processor metrics: the PayloadProcessor, the processor in it, the stage and its outcome. */
  public record ProcessorLabels(String chain, String processor, String stage, String outcome) {}

  /** One processor stage: counted and timed by chain, processor, stage and outcome. */
  public void recordProcessor(ProcessorLabels labels, long nanos) {
    processorMeters.computeIfAbsent(labels, l -> Timer.builder("aigis.processor.duration")
            .description("Payload processor stages, by PayloadProcessor, processor, stage and outcome")
            .tags("chain", l.chain(), "processor", l.processor(), "stage", l.stage(), "outcome", l.outcome())
            .serviceLevelObjectives(durations(PROCESSOR_BUCKETS))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Labels of the gateway's request metrics. Empty strings stand for "not known". */
  public record RequestLabels(String route, String backend, String model, int status) {}

  /** Labels of the GenAI metrics. */
  public record GenAiLabels(String operation, String provider, String model) {}

  private record RequestMeters(Counter count, Timer duration) {}

  private record GenAiMeters(DistributionSummary inputTokens, DistributionSummary outputTokens, Timer duration, Timer ttft) {}

  public MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void recordRequest(RequestLabels labels, long durationNanos) {
    RequestMeters meters = requestMeters.computeIfAbsent(labels, this::requestMeters);
    meters.count.increment();
    meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** Records a model call: duration, optional time to first token (-1 when not streamed), and usage. */
  public void recordModelCall(GenAiLabels labels, long durationNanos, long ttftNanos, TokenUsage usage) {
    GenAiMeters meters = genAiMeters.computeIfAbsent(labels, this::genAiMeters);
    meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
    if (ttftNanos >= 0) {
      meters.ttft.record(ttftNanos, TimeUnit.NANOSECONDS);
    }
    if (usage != null) {
      meters.inputTokens.record(usage.input());
      meters.outputTokens.record(usage.output());
    }
  }

  private RequestMeters requestMeters(RequestLabels l) {
    String status = Integer.toString(l.status());
    Counter count = Counter.builder("aigis.requests")
        .description("Requests handled, by route, backend, model and status")
        .tags("route", l.route(), "backend", l.backend(), "model", l.model(), "status", status)
        .register(registry);
    Timer duration = Timer.builder("aigis.request.duration")
        .description("Time from request start to the last response byte")
        .tags("route", l.route(), "backend", l.backend(), "model", l.model(), "status", status)
        .serviceLevelObjectives(durations(DURATION_BUCKETS))
        .register(registry);
    return new RequestMeters(count, duration);
  }

  private GenAiMeters genAiMeters(GenAiLabels l) {
    String[] tags = {"gen_ai.operation.name", l.operation(), "gen_ai.provider.name", l.provider(), "gen_ai.request.model", l.model()};
    DistributionSummary input = DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Number of input and output tokens used")
        .tags(tags).tag("gen_ai.token.type", "input")
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
    DistributionSummary output = DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Number of input and output tokens used")
        .tags(tags).tag("gen_ai.token.type", "output")
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
    Timer duration = Timer.builder("gen_ai.server.request.duration")
        .description("Generative AI server request duration")
        .tags(tags)
        .serviceLevelObjectives(durations(DURATION_BUCKETS))
        .register(registry);
    Timer ttft = Timer.builder("gen_ai.server.time_to_first_token")
        .description("Time to generate the first token for successful responses")
        .tags(tags)
        .serviceLevelObjectives(durations(TTFT_BUCKETS))
        .register(registry);
    return new GenAiMeters(input, output, duration, ttft);
  }

  private static Duration[] durations(double[] seconds) {
    Duration[] out = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      out[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
    }
    return out;
  }
}
