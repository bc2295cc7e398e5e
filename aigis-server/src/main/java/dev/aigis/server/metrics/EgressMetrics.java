package dev.aigis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Egress decisions as metrics. Labels come from the configuration (Gateway and backend names) and
 * closed sets (the TLS check that failed): refused hosts are not a label, since whatever a filter
 * or processor writes could create series. Each family holds at most
 * {@link GatewayMetrics#DEFAULT_MAX_SERIES} label sets; past that, new ones count as "other".
 */
public final class EgressMetrics {

  private static final int MAX_SERIES = GatewayMetrics.DEFAULT_MAX_SERIES;

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<List<String>, Counter> tlsFailures = new ConcurrentHashMap<>();

  public EgressMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A request the Gateway's EgressPolicy did not let out ({@code aigis_egress_refused_total}). */
  public void refused(String gateway) {
    String label = refused.containsKey(gateway) || refused.size() < MAX_SERIES ? gateway : ModelLabels.OTHER;
    refused.computeIfAbsent(label, g -> Counter.builder("aigis_egress_refused")
        .description("Upstream requests refused because the host is not in the Gateway's EgressPolicy")
        .tag("gateway", g)
        .register(registry)).increment();
  }

  /**
   * A connection to {@code backend} refused by its TLS verification ({@code aigis_egress_tls_failures_total}).
   *
   * @param check {@code expired}, {@code not_yet_valid}, {@code wrong_name}, {@code untrusted},
   *     {@code ca_unusable} or {@code handshake}
   */
  public void tlsFailure(String backend, String check) {
    List<String> key = List.of(backend, check);
    if (!tlsFailures.containsKey(key) && tlsFailures.size() >= MAX_SERIES) {
      key = List.of(ModelLabels.OTHER, check);
    }
    tlsFailures.computeIfAbsent(key, k -> Counter.builder("aigis_egress_tls_failures")
        .description("Upstream connections refused by TLS verification, by the check that failed")
        .tag("backend", k.get(0))
        .tag("check", k.get(1))
        .register(registry)).increment();
  }
}
