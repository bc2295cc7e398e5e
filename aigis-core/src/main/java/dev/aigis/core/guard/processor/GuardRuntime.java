package dev.aigis.core.guard.processor;

import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.EmbeddingObserver;
import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.core.embedding.EmbeddingSettings;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.anomaly.AnomalyDetector;
import dev.aigis.core.guard.anomaly.AnomalySettings;
import dev.aigis.core.guard.output.OutputFilter;
import dev.aigis.core.guard.output.OutputModel;
import dev.aigis.core.guard.signature.ReloadingSignatures;
import dev.aigis.core.guard.signature.RuleFileException;
import dev.aigis.core.guard.signature.SignatureSet;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What Guardrail processors share across processors and configuration reloads, one per gateway
 * process: the embedding service (its pool, cache and metrics; the semantic cache uses it too),
 * the anomaly baselines (so a reload does not forget every caller), the hot-reloaded rule files,
 * the key PII hashes are keyed with, and the shipped output filter. Models load on first use, so
 * compiling a configuration (and {@code aigis validate}) never loads one; {@link #warmUp} loads
 * them in the background once a Guardrail processor is live.
 */
public final class GuardRuntime implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GuardRuntime.class.getName());

  private final InstantSource clock;
  private final GuardObserver observer;
  private final EmbeddingObserver embeddingObserver;
  private final byte[] hashKey;
  private final boolean live;
  private final ConcurrentMap<String, Baselines> anomalies = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<Path>, ReloadingSignatures> rules = new ConcurrentHashMap<>();
  private final Embedder embedder = new LazyEmbedder();
  private volatile EmbeddingService embeddings;
  private volatile OutputFilter outputFilter;
  private volatile boolean warming;

  private record Baselines(AnomalySettings settings, AnomalyDetector detector) {}

  /**
   * @param hashKey the key of PII {@code Hash} actions (at least 16 bytes); the same on every replica
   *     for equal values to hash equally across them
   */
  public GuardRuntime(InstantSource clock, GuardObserver observer, EmbeddingObserver embeddingObserver, byte[] hashKey) {
    this(clock, observer, embeddingObserver, hashKey, true);
  }

  private GuardRuntime(InstantSource clock, GuardObserver observer, EmbeddingObserver embeddingObserver,
      byte[] hashKey, boolean live) {
    if (hashKey.length < 16) {
      throw new IllegalArgumentException("the PII hash key must be at least 16 bytes");
    }
    this.clock = clock;
    this.observer = observer;
    this.embeddingObserver = embeddingObserver;
    this.hashKey = hashKey.clone();
    this.live = live;
  }

  /** For compiling without serving (validation, tests of configuration): nothing is ever warmed up. */
  public static GuardRuntime forValidation() {
    return new GuardRuntime(InstantSource.system(), GuardObserver.NONE, EmbeddingObserver.NONE, randomKey(), false);
  }

  /**
   * The PII hash key from {@code AIGIS_GUARD_HASH_KEY} (its UTF-8 bytes, at least 16), else a random
   * key for this process (hashes then differ between replicas and restarts).
   */
  public static byte[] hashKeyFrom(java.util.Map<String, String> env) {
    String configured = env.get("AIGIS_GUARD_HASH_KEY");
    if (configured == null || configured.isEmpty()) {
      return randomKey();
    }
    byte[] key = configured.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (key.length < 16) {
      throw new IllegalArgumentException("AIGIS_GUARD_HASH_KEY must be at least 16 bytes");
    }
    return key;
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  public InstantSource clock() {
    return clock;
  }

  public GuardObserver observer() {
    return observer;
  }

  byte[] hashKey() {
    return hashKey.clone();
  }

  /** The shared embedding service, started on first use. */
  public EmbeddingService embeddings() {
    EmbeddingService service = embeddings;
    if (service == null) {
      synchronized (this) {
        service = embeddings;
        if (service == null) {
          service = EmbeddingService.start(MiniLmEmbedder.shared(), EmbeddingSettings.defaults(), embeddingObserver);
          embeddings = service;
        }
      }
    }
    return service;
  }

  /** A blocking embedder over the shared service (call it off the event loop); starts nothing until used. */
  public Embedder embedder() {
    return embedder;
  }

  /** The shipped output filter on the shared embedder, built on first use (it embeds its exemplars). */
  OutputFilter outputFilter() {
    OutputFilter filter = outputFilter;
    if (filter == null) {
      synchronized (this) {
        filter = outputFilter;
        if (filter == null) {
          filter = new OutputFilter(embedder, OutputModel.shipped());
          outputFilter = filter;
        }
      }
    }
    return filter;
  }

  /** The anomaly baselines of a policy; kept across reloads while its settings stay the same. */
  AnomalyDetector anomaly(String policy, AnomalySettings settings) {
    return anomalies.compute(policy, (name, existing) -> existing != null && existing.settings().equals(settings)
        ? existing : new Baselines(settings, new AnomalyDetector(settings, clock))).detector();
  }

  /** The default rules merged with {@code files}, re-read when they change ({@link #refreshRules}). */
  ReloadingSignatures rules(SignatureSet defaults, List<Path> files) throws RuleFileException {
    ReloadingSignatures existing = rules.get(files);
    if (existing != null) {
      return existing;
    }
    ReloadingSignatures opened = ReloadingSignatures.open(defaults, files, clock);
    ReloadingSignatures raced = rules.putIfAbsent(files, opened);
    return raced == null ? opened : raced;
  }

  /**
   * Re-reads changed rule files (called every few seconds off the event loop). A broken edit keeps
   * the last good rules and is logged with its file and line.
   */
  public void refreshRules() {
    rules.values().forEach(reloading -> {
      Optional<RuleFileException> before = reloading.lastError();
      reloading.refresh();
      Optional<RuleFileException> after = reloading.lastError();
      if (after.isPresent() && !after.equals(before)) {
        LOG.log(System.Logger.Level.WARNING, "guardrail rule file not reloaded, keeping the last good rules: {0}",
            after.get().getMessage());
      }
    });
  }

  /** Loads the models in the background so the first guarded request does not wait for them. */
  void warmUp() {
    if (!live || warming) {
      return;
    }
    warming = true;
    Thread.ofPlatform().daemon().name("aigis-guard-warmup").start(() -> {
      try {
        embedder.embed("warm up");
        outputFilter();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "guardrail models could not be loaded ahead of use: {0}", e.toString());
      }
    });
  }

  @Override
  public void close() {
    EmbeddingService service = embeddings;
    if (service != null) {
      service.close();
    }
  }

  /** The service's blocking view, reached only when something is embedded. */
  private final class LazyEmbedder implements Embedder {
    @Override
    public int dimension() {
      return MiniLmEmbedder.DIMENSION;
    }

    @Override
    public int maxTokens() {
      return MiniLmEmbedder.DEFAULT_MAX_TOKENS;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      return embeddings().asEmbedder().embedAll(texts);
    }
  }
}
