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
 * search. Label values come from configuration (route, backend, the model names it declares; see
 * {@link ModelLabels}), never from raw client input, so cardinality stays bounded by the
 * configuration. As a last guard each family holds at most {@link #DEFAULT_MAX_SERIES} label sets:
 * past that, new label sets are counted under one set whose labels are all {@code other}, and a
 * warning says so once.
 */
public final class GatewayMetrics {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayMetrics.class);

  /** Label sets per metric family; far above what a configuration declares, far below what hurts a scrape. */
  public static final int DEFAULT_MAX_SERIES = 2000;
  private static final String OTHER = ModelLabels.OTHER;
  private static final RequestLabels REQUEST_OVERFLOW = new RequestLabels(OTHER, OTHER, OTHER, 0);
  private static final GenAiLabels GEN_AI_OVERFLOW = new GenAiLabels(OTHER, OTHER, OTHER);
  private static final ProcessorLabels PROCESSOR_OVERFLOW = new ProcessorLabels(OTHER, OTHER, OTHER, OTHER);

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
  private final int maxSeries;
  private final java.util.Set<String> warned = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<RequestLabels, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<GenAiLabels, GenAiMeters> genAiMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ProcessorLabels, Timer> processorMeters = new ConcurrentHashMap<>();

  /** Why a client connection was closed by the gateway rather than by its client; a closed set of labels. */
  public enum ShedReason {
    HEADER_TIMEOUT("header_timeout"), CLIENT_LIMIT("client_limit"), TOTAL_LIMIT("total_limit");

    private final String label;

    ShedReason(String label) {
      this.label = label;
    }
  }

  private final java.util.EnumMap<ShedReason, Counter> shed = new java.util.EnumMap<>(ShedReason.class);

  public GatewayMetrics() {
    this(DEFAULT_MAX_SERIES);
  }

  /** @param maxSeries label sets per metric family before new ones fold into the {@code other} set */
  public GatewayMetrics(int maxSeries) {
    this.maxSeries = maxSeries;
    for (ShedReason reason : ShedReason.values()) {
      shed.put(reason, Counter.builder("aigis_connections_shed")
          .description("Client connections the gateway closed: a request head too slow, or a connection limit")
          .tag("reason", reason.label).register(registry));
    }
  }

  public void connectionShed(ShedReason reason) {
    shed.get(reason).increment();
  }

  private final ConcurrentHashMap<String, Counter> violations = new ConcurrentHashMap<>();

  /**
   * A native answer that broke its API's format and was passed on unchanged, by backend (a name
   * from the configuration, capped like the other families).
   */
  public void upstreamViolation(String backend) {
    meters(violations, backend, OTHER, "aigis.upstream.protocol.violations", b -> Counter.builder(
            "aigis.upstream.protocol.violations")
        .description("Native answers that broke their API's format (malformed events, no terminal event), passed on unchanged")
        .tag("backend", b).register(registry)).increment();
  }

  /**
   * The meters of {@code labels}, created on first use while the family is under its cap; past
   * it, an unseen label set gets the overflow set's meters.
   */
  private <K, V> V meters(ConcurrentHashMap<K, V> family, K labels, K overflow, String name,
      java.util.function.Function<K, V> create) {
    V meters = family.get(labels);
    if (meters != null) {
      return meters;
    }
    if (family.size() >= maxSeries) {
      if (warned.add(name)) {
        LOG.warn("metric {} reached its cap of {} label sets; further label sets are counted under \"other\"",
            name, maxSeries);
      }
      return family.computeIfAbsent(overflow, create);
    }
    return family.computeIfAbsent(labels, create);
  }

  /** Labels of per-processor metrics: the PayloadProcessor, the processor in it, the stage and its outcome. */
  public record ProcessorLabels(String chain, String processor, String stage, String outcome) {}

  /** One processor stage: counted and timed by chain, processor, stage and outcome. */
  public void recordProcessor(ProcessorLabels labels, long nanos) {
    meters(processorMeters, labels, PROCESSOR_OVERFLOW, "aigis.processor.duration", l -> Timer.builder("aigis.processor.duration")
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
    RequestMeters meters = meters(requestMeters, labels, REQUEST_OVERFLOW, "aigis.requests", this::requestMeters);
    meters.count.increment();
    meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** Records a model call: duration, optional time to first token (-1 when not streamed), and usage. */
  public void recordModelCall(GenAiLabels labels, long durationNanos, long ttftNanos, TokenUsage usage) {
    GenAiMeters meters = meters(genAiMeters, labels, GEN_AI_OVERFLOW, "gen_ai.client.token.usage", this::genAiMeters);
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
    String status = l.status() == 0 ? OTHER : Integer.toString(l.status());
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
