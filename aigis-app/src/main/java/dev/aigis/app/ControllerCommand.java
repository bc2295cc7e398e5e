package dev.aigis.app;

import dev.aigis.kubernetes.ClusterController;
import dev.aigis.server.ServerOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aigis controller}: a gateway replica configured from the Kubernetes API (in-cluster service
 * account, or the kubeconfig) instead of files. Every replica serves traffic from its own informers;
 * the one holding the Lease writes status.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = "Run a gateway replica configured from the Kubernetes API: Gateway API and aigis.dev resources, status written by the Lease holder.")
final class ControllerCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerCommand.class);

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE:-aigis-system}",
      description = "Namespace of the Lease the replicas elect a status writer with (default: $POD_NAMESPACE or aigis-system).")
  String leaseNamespace;

  @Option(names = "--lease-name", defaultValue = "aigis-controller", description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--identity", defaultValue = "${env:POD_NAME:-aigis}",
      description = "This replica's name in the Lease (default: $POD_NAME).")
  String identity;

  @Option(names = "--watch-namespace", paramLabel = "NAMESPACE",
      description = "Watch only this namespace (repeatable; default: all). The replicas then need read access, Secrets"
          + " included, in the listed namespaces only, and cluster-wide only to GatewayClasses and Namespaces.")
  java.util.List<String> watchNamespaces = new java.util.ArrayList<>();

  @Option(names = "--no-leader-election", description = "Write status without electing a writer (one replica only).")
  boolean noLeaderElection;

  @Option(names = "--admin-port", defaultValue = "9901", description = "Port of /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--admin-host", defaultValue = "0.0.0.0", description = "Interface of the admin port (default: ${DEFAULT-VALUE}: probes come from the kubelet).")
  String adminHost;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface the listeners bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--sync-timeout", defaultValue = "120", description = "Seconds to wait for the first full sync (default: ${DEFAULT-VALUE}).")
  long syncSeconds;

  @Option(names = "--drain-seconds", defaultValue = "5",
      description = "Seconds between SIGTERM and closing the listeners, while endpoints stop sending traffic here (default: ${DEFAULT-VALUE}).")
  long drainSeconds;

  @Override
  public Integer call() throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    var options = ServerOptions.defaults().withAdminPort(adminPort).withAdminHost(adminHost).withTrafficHost(host);
    var settings = new ClusterController.Settings(leaseNamespace, leaseName, identity, !noLeaderElection,
        Duration.ofSeconds(15)).watching(java.util.Set.copyOf(watchNamespaces));
    ClusterGateway gateway;
    try {
      gateway = ClusterGateway.start(client, options, System::getenv, settings, Duration.ofSeconds(syncSeconds));
    } catch (Exception e) {
      System.err.println("aigis: cannot start from the cluster: " + e.getMessage());
      client.close();
      return 1;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: draining for {} s", drainSeconds);
      try {
        // Endpoints take a moment to drop this pod; requests that arrive meanwhile are still served.
        Thread.sleep(Duration.ofSeconds(Math.max(0, drainSeconds)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gateway.close();
      client.close();
      stopped.countDown();
    }, "aigis-shutdown"));
    LOG.info("aigis controller {} is serving from the cluster", identity);
    stopped.await();
    return 0;
  }
}
