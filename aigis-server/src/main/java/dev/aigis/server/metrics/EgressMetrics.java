package dev.aigis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Egress decisions as metrics. Labelled by Gateway only (names from the configuration): refused
 * hosts are not a label, since whatever a filter or processor writes could create series.
 */
public final class EgressMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();

  public EgressMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A request the Gateway's EgressPolicy did not let out ({@code aigis_egress_refused_total}). */
  public void refused(String gateway) {
    refused.computeIfAbsent(gateway, g -> Counter.builder("aigis_egress_refused")
        .description("Upstream requests refused because the host is not in the Gateway's EgressPolicy")
        .tag("gateway", g)
        .register(registry)).increment();
  }
}
