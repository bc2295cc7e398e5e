package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.model.backend.ServiceAddresses;
import dev.aigis.model.snapshot.ConfigSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every {@link WatchedKind} with fabric8 informers and, on each change, reconciles: the cluster's
 * objects become a snapshot (handed to {@link SnapshotSink}, the data plane in a gateway replica) and
 * planned statuses, written by the replica that holds the Lease. Every replica serves traffic from its
 * own informers; only the leader writes status. Reconciles run one at a time on one thread, a burst of
 * events coalescing into one run. The snapshot is applied only when an object other than its status
 * changed, so status writes do not reload the data plane.
 */
public final class ClusterController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterController.class);

  /** Where snapshots go: the gateway server in production, a recorder in tests. */
  @FunctionalInterface
  public interface SnapshotSink {
    void apply(ConfigSnapshot snapshot) throws Exception;
  }

  /**
   * How the controller runs.
   *
   * @param leaseNamespace the namespace of the Lease the replicas elect a status writer with
   * @param leaseName the Lease's name
   * @param identity this replica's name in the Lease (the pod name in a cluster)
   * @param leaderElection false to write status without electing (a single replica, or tests)
   * @param namespaces the namespaces whose objects are watched, or empty for all: with a list, the
   *     replicas need read access (Secrets included) in those namespaces only, through Roles
   * @param services where Service backends are reached: their cluster DNS names, unless a test says otherwise
   */
  public record Settings(String leaseNamespace, String leaseName, String identity, boolean leaderElection,
      Duration leaseDuration, java.util.Set<String> namespaces, ServiceAddresses services) {
    public Settings {
      namespaces = namespaces == null ? java.util.Set.of() : java.util.Set.copyOf(namespaces);
      services = services == null ? ServiceAddresses.CLUSTER_DNS : services;
    }

    public Settings(String leaseNamespace, String leaseName, String identity, boolean leaderElection,
        Duration leaseDuration, java.util.Set<String> namespaces) {
      this(leaseNamespace, leaseName, identity, leaderElection, leaseDuration, namespaces, null);
    }

    /** These settings, reaching Service backends where {@code addresses} says (a test's fake upstream). */
    public Settings reachingServices(ServiceAddresses addresses) {
      return new Settings(leaseNamespace, leaseName, identity, leaderElection, leaseDuration, namespaces, addresses);
    }

    public Settings(String leaseNamespace, String leaseName, String identity, boolean leaderElection,
        Duration leaseDuration) {
      this(leaseNamespace, leaseName, identity, leaderElection, leaseDuration, java.util.Set.of());
    }

    public static Settings single() {
      return new Settings("default", "aigis-controller", "aigis", false, Duration.ofSeconds(15));
    }

    public Settings watching(java.util.Set<String> namespaces) {
      return new Settings(leaseNamespace, leaseName, identity, leaderElection, leaseDuration, namespaces, services);
    }
  }

  private final KubernetesClient client;
  private final SnapshotSink sink;
  private final Function<String, String> environment;
  private final Settings settings;
  private final StatusWriter writer;
  private final ControllerMetrics metrics;
  private final java.util.concurrent.ScheduledThreadPoolExecutor reconciler = reconcileThread();
  /** Per kind, one informer over all namespaces, or one per watched namespace. */
  private final Map<WatchedKind, List<SharedIndexInformer<GenericKubernetesResource>>> informers = new HashMap<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final CompletableFuture<Void> firstSnapshot = new CompletableFuture<>();
  private final CompletableFuture<Void> leading = new CompletableFuture<>();
  private volatile boolean synced;
  private volatile boolean leader;
  private volatile long dirtySinceNanos;
  private static final Duration INITIAL_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);
  /** Reconcile-thread state: what was last applied, why the last snapshot was refused, the next retry's pause. */
  private String appliedFingerprint;
  private String programFailure;
  private Duration retryDelay = INITIAL_RETRY;
  private CompletableFuture<?> election;
  private volatile boolean closed;

  public ClusterController(KubernetesClient client, SnapshotSink sink, Function<String, String> environment,
      Settings settings, ControllerMetrics metrics) {
    this.client = Objects.requireNonNull(client, "client");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.writer = new StatusWriter(client, InstantSource.system());
    this.leader = !settings.leaderElection();
  }

  /**
   * Starts the informers and, when asked, leader election; returns once every informer has listed.
   *
   * @throws IllegalStateException when a kind that is not optional cannot be watched (API server
   *     unreachable, CRD missing, RBAC): the replica must not become ready on a partial view
   */
  public ClusterController start() {
    ResourceEventHandler<GenericKubernetesResource> handler = new ResourceEventHandler<>() {
      @Override public void onAdd(GenericKubernetesResource obj) { trigger(); }
      @Override public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) { trigger(); }
      @Override public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) { trigger(); }
    };
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    List<String> unwatched = java.util.Collections.synchronizedList(new ArrayList<>());
    for (WatchedKind kind : WatchedKind.ALL) {
      for (SharedIndexInformer<GenericKubernetesResource> informer : informersFor(kind)) {
        informer.addEventHandler(handler);
        informers.computeIfAbsent(kind, k -> new ArrayList<>()).add(informer);
        starts.add(informer.start().toCompletableFuture().handle((ok, failure) -> {
          if (failure != null && kind.optional()) {
            // An experimental or WG kind whose CRD is not installed: served as empty; installing it needs a restart.
            LOG.info("not watching {} ({}): its CRD is not installed", kind.kind(), kind.apiVersion());
          } else if (failure != null) {
            LOG.warn("cannot watch {} ({}): {}", kind.kind(), kind.apiVersion(), failure.getMessage());
            metrics.reconcileErrors.increment();
            unwatched.add(kind.kind() + " (" + kind.apiVersion() + ")");
          }
          return null;
        }));
      }
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    if (!unwatched.isEmpty()) {
      // Serving an empty or partial configuration as if synced would drop traffic: refuse to start.
      close();
      throw new IllegalStateException("cannot watch " + String.join(", ", unwatched.stream().sorted().toList())
          + ": is the API server reachable, are the CRDs installed and the RBAC rules applied?");
    }
    synced = true;
    if (settings.leaderElection()) {
      election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
          .withName(settings.leaseName())
          .withLock(new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
          .withLeaseDuration(settings.leaseDuration())
          .withRenewDeadline(settings.leaseDuration().multipliedBy(2).dividedBy(3))
          .withRetryPeriod(settings.leaseDuration().dividedBy(7))
          .withReleaseOnCancel(true)
          .withLeaderCallbacks(new LeaderCallbacks(
              () -> {
                leader = true;
                LOG.info("{} writes status (holds Lease {})", settings.identity(), settings.leaseName());
                leading.complete(null);
                trigger();
              },
              () -> { leader = false; LOG.info("{} no longer writes status", settings.identity()); },
              newLeader -> LOG.info("status writer is {}", newLeader)))
          .build()).build().start();
    }
    if (leader) {
      leading.complete(null);
    }
    trigger();
    return this;
  }

  /** Completes when this replica first becomes the status writer (at once without leader election). */
  public CompletableFuture<Void> leading() {
    return leading;
  }

  /** One thread; retries pending at close are dropped rather than waited for. */
  private static java.util.concurrent.ScheduledThreadPoolExecutor reconcileThread() {
    var executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("aigis-k8s-reconcile").factory());
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  /** Completes when the first snapshot after a full sync has been applied: the replica's readiness. */
  public CompletableFuture<Void> ready() {
    return firstSnapshot;
  }

  public boolean isReady() {
    return firstSnapshot.isDone() && !firstSnapshot.isCompletedExceptionally();
  }

  public boolean isLeader() {
    return leader;
  }

  public ControllerMetrics metrics() {
    return metrics;
  }

  /**
   * Reconciles now (on the reconcile thread) and waits for it: for tests and tools that need a
   * settled state without waiting on events.
   */
  public void reconcileNow() {
    try {
      Future<?> run = reconciler.submit(this::reconcile);
      run.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("reconcile failed", e);
    }
  }

  private void trigger() {
    if (dirtySinceNanos == 0) {
      dirtySinceNanos = System.nanoTime();
    }
    if (synced && !closed && pending.compareAndSet(false, true)) {
      reconciler.execute(() -> {
        pending.set(false);
        reconcile();
      });
    }
  }

  private void reconcile() {
    long since = dirtySinceNanos;
    dirtySinceNanos = 0;
    try {
      ClusterState state = state();
      Reconciliation result = Reconciliation.of(state, environment, settings.services());
      String fingerprint = Fingerprint.of(state);
      Map<ClusterObject, ObjectNode> statuses = result.statuses();
      if (fingerprint.equals(appliedFingerprint)) {
        programFailure = null; // back to what the data plane serves: nothing is pending
      } else {
        try {
          sink.apply(result.snapshot());
          appliedFingerprint = fingerprint;
          programFailure = null;
          LOG.info("cluster configuration applied: {} resources, {} left out", result.snapshot().resources().size(),
              result.rejected().size());
          result.rejected().forEach((identity, errors) ->
              LOG.warn("{} left out: {}", identity, StatusPlan.messages(errors)));
        } catch (Exception e) {
          // The data plane refused the snapshot (a port it cannot bind, say) and keeps serving the previous
          // one: Gateways say so, and the change is tried again after a pause.
          programFailure = e.getMessage() == null ? e.toString() : e.getMessage();
          metrics.reconcileErrors.increment();
          LOG.warn("cluster configuration not applied, previous one keeps serving: {}", programFailure);
          retryLater();
        }
      }
      if (programFailure != null) {
        statuses = StatusPlan.notProgrammed(statuses, programFailure);
      } else {
        firstSnapshot.complete(null);
        retryDelay = INITIAL_RETRY;
      }
      if (leader) {
        metrics.statusWrites.add(writer.write(statuses));
      }
      metrics.reconciles.increment();
    } catch (Exception e) {
      metrics.reconcileErrors.increment();
      LOG.warn("reconcile failed, tried again shortly: {}", e.toString());
      retryLater();
    } finally {
      if (since != 0) {
        metrics.lagNanos.set(System.nanoTime() - since);
      }
    }
  }

  /** Triggers another reconcile after a pause that doubles up to a minute while failures go on. */
  private void retryLater() {
    if (closed) {
      return;
    }
    Duration delay = retryDelay;
    retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
    reconciler.schedule(this::trigger, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The informers of one kind: cluster-scoped kinds are watched whole (Namespace labels serve
   * {@code allowedRoutes} selectors); namespaced kinds in every namespace, or in each listed one.
   */
  private List<SharedIndexInformer<GenericKubernetesResource>> informersFor(WatchedKind kind) {
    var operation = client.genericKubernetesResources(kind.context());
    if (!kind.namespaced()) {
      return List.of(operation.runnableInformer(0));
    }
    if (settings.namespaces().isEmpty()) {
      return List.of(operation.inAnyNamespace().runnableInformer(0));
    }
    return settings.namespaces().stream().sorted()
        .map(namespace -> operation.inNamespace(namespace).runnableInformer(0)).toList();
  }

  private ClusterState state() {
    Map<WatchedKind, List<ClusterObject>> objects = new HashMap<>();
    informers.forEach((kind, list) -> objects.put(kind, list.stream()
        .flatMap(informer -> informer.getStore().list().stream())
        .map(resource -> ClusterObject.of(kind, resource)).toList()));
    return new ClusterState(objects);
  }

  /** The statuses this replica would write now, for tests. */
  Map<ClusterObject, ObjectNode> plannedStatuses() {
    return Reconciliation.of(state(), environment, settings.services()).statuses();
  }

  @Override
  public void close() {
    closed = true;
    if (election != null) {
      election.cancel(true);
    }
    informers.values().forEach(list -> list.forEach(SharedIndexInformer::close));
    reconciler.shutdown();
    try {
      reconciler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
