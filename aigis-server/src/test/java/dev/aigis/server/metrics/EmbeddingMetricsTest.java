package dev.aigis.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingMetricsTest {

  @Test
  void observationsAppearUnderTheDocumentedNames() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metrics = new EmbeddingMetrics(registry);
    metrics.ran(TimeUnit.MILLISECONDS.toNanos(3));
    metrics.batch(4);
    metrics.queueDepth(7);
    metrics.cache(true);
    metrics.cache(true);
    metrics.cache(false);
    metrics.rejected();

    String scraped = registry.scrape();
    assertThat(scraped)
        .contains("aigis_embedding_duration_seconds_count 1")
        .contains("aigis_embedding_duration_seconds_bucket{le=\"0.004\"} 1")
        .contains("aigis_embedding_duration_seconds_bucket{le=\"0.002\"} 0")
        .contains("aigis_embedding_batch_size_sum 4.0")
        .contains("aigis_embedding_queue_depth 7.0")
        .contains("aigis_embedding_cache_requests_total{result=\"hit\"} 2.0")
        .contains("aigis_embedding_cache_requests_total{result=\"miss\"} 1.0")
        .contains("aigis_embedding_rejected_total 1.0");
  }
}
