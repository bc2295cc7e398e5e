package dev.aigis.app;

import dev.aigis.kubernetes.ClusterController;
import dev.aigis.kubernetes.ControllerMetrics;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.GatewayServer;
import dev.aigis.server.ServerOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gateway replica fed from the Kubernetes API: the controller's informers compile the cluster into
 * snapshots, and the first one (after every informer has listed) starts the data plane, so the admin
 * port's {@code /readyz} answers only after a full sync; later snapshots are applied in place, without
 * a restart or a dropped request. Controller metrics join the gateway's {@code /metrics}.
 */
final class ClusterGateway implements AutoCloseable {

  private final ClusterController controller;
  private volatile GatewayServer server;
  private final ServerOptions options;

  private ClusterGateway(KubernetesClient client, ServerOptions options, Function<String, String> environment,
      ClusterController.Settings settings) {
    this.options = options;
    this.controller = new ClusterController(client, this::apply, environment, settings, new ControllerMetrics());
  }

  /** Starts watching and waits for the first full sync, which starts the data plane. */
  static ClusterGateway start(KubernetesClient client, ServerOptions options, Function<String, String> environment,
      ClusterController.Settings settings, Duration syncTimeout) throws Exception {
    ClusterGateway gateway = new ClusterGateway(client, options, environment, settings);
    gateway.controller.start();
    try {
      gateway.controller.ready().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
    return gateway;
  }

  /** Runs on the controller's reconcile thread, one snapshot at a time. */
  private void apply(ConfigSnapshot snapshot) throws Exception {
    GatewayServer running = server;
    if (running == null) {
      server = GatewayServer.start(snapshot, options);
      register(server.metrics().registry(), controller.metrics());
    } else {
      running.apply(snapshot);
    }
    synchronized (this) {
      notifyAll();
    }
  }

  /**
   * Waits until the data plane serves a snapshot {@code wanted} accepts (woken by each apply, no
   * polling): for tests and tools that change the cluster and then send traffic.
   */
  synchronized ConfigSnapshot awaitSnapshot(java.util.function.Predicate<ConfigSnapshot> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (server == null || !wanted.test(server.snapshot())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("no snapshot as wanted within " + timeout);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return server.snapshot();
  }

  private static void register(MeterRegistry registry, ControllerMetrics metrics) {
    FunctionCounter.builder("aigis_controller_reconciles", metrics, ControllerMetrics::reconciles)
        .description("Reconciles of the cluster's objects into a snapshot and statuses").register(registry);
    FunctionCounter.builder("aigis_controller_reconcile_errors", metrics, ControllerMetrics::reconcileErrors)
        .description("Reconciles and watches that failed").register(registry);
    FunctionCounter.builder("aigis_controller_status_writes", metrics, ControllerMetrics::statusWrites)
        .description("Status subresource writes (by the Lease holder only)").register(registry);
    Gauge.builder("aigis_controller_reconcile_lag_seconds", metrics, ControllerMetrics::lagSeconds)
        .description("From the first unhandled change to the end of the reconcile that handled it, last reconcile")
        .register(registry);
  }

  GatewayServer server() {
    return server;
  }

  ClusterController controller() {
    return controller;
  }

  /** Stops watching (and gives up the Lease) first, so no snapshot arrives while the data plane drains. */
  @Override
  public void close() {
    controller.close();
    GatewayServer running = server;
    if (running != null) {
      running.close();
    }
  }
}
