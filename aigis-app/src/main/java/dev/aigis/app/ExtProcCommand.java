package dev.aigis.app;

import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.extproc.ExtProcServer;
import dev.aigis.server.proxy.RuntimeConfig;
import java.util.concurrent.atomic.AtomicReference;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.server.processing.ProcessingCompiler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aigis extproc}: serves a Gateway's PayloadProcessor chains as an Envoy ext_proc v3 gRPC
 * server, for Envoy (or Envoy Gateway) in front. The files are watched as `aigis run -f` watches them: a valid change applies to streams
 * opened after it, a refused one is logged and the previous configuration keeps serving.
 */
@Command(name = "extproc", mixinStandardHelpOptions = true,
    description = "Serve a Gateway's PayloadProcessors as an Envoy ext_proc v3 gRPC server. Configure Envoy's "
        + "ext_proc filter with allow_mode_override: true (or request_body_mode: BUFFERED).")
final class ExtProcCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ExtProcCommand.class);

  @Option(names = "--port", defaultValue = "9002", description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = {"-f", "--file"}, required = true, description = "YAML file(s) of resources (repeatable).")
  List<Path> files;

  @Option(names = "--gateway", description = "The Gateway whose chains run, as name or namespace/name (default: the only one).")
  String gateway;

  @Override
  public Integer call() throws InterruptedException {
    ConfigSnapshot snapshot;
    var channels = new ExtProcChannels();
    // One runtime for the process: rate-limit counters, Redis clients and JWKS caches outlive reloads.
    var vertx = io.vertx.core.Vertx.vertx();
    var policies = new dev.aigis.server.policy.PolicyRuntime(vertx, java.time.InstantSource.system(), null,
        new dev.aigis.server.metrics.PolicyMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    var guards = new dev.aigis.core.guard.processor.GuardRuntime(java.time.InstantSource.system(),
        dev.aigis.core.guard.processor.GuardObserver.NONE, dev.aigis.core.embedding.EmbeddingObserver.NONE,
        dev.aigis.core.guard.processor.GuardRuntime.hashKeyFrom(System.getenv()));
    var knowledge = dev.aigis.core.rag.KnowledgeRuntime.live(guards::embeddings, dev.aigis.core.rag.RagObserver.NONE);
    var sharedCaches = new dev.aigis.server.cache.RedisCacheStoreFactory(vertx, java.time.InstantSource.system());
    var caches = new dev.aigis.core.cache.CacheRuntime(java.time.InstantSource.system(),
        dev.aigis.core.cache.CacheObserver.NONE, sharedCaches, guards::embeddings);
    var runtimes = new dev.aigis.server.processing.ProcessorRuntimes(guards,
        new dev.aigis.core.routing.semantic.SemanticRouteRuntime(guards::embeddings,
            dev.aigis.core.routing.semantic.RouteObserver.NONE),
        caches, knowledge);
    var compiler = new ProcessingCompiler(channels, policies, runtimes);
    // Guardrail rule files and knowledge-base files are re-read when they change, off the gRPC and event-loop threads.
    vertx.setPeriodic(2_000, id -> Thread.ofVirtual().name("aigis-guard-rules").start(() -> {
      guards.refreshRules();
      knowledge.refresh();
    }));
    Runnable release = () -> {
      channels.close();
      policies.close();
      runtimes.close();
      sharedCaches.close();
      vertx.close();
    };
    CompiledProcessing processing;
    String key;
    try {
      snapshot = ConfigPipeline.loadAndCompile(files, System::getenv);
      processing = compiler.compile(snapshot);
      key = ExtProcServer.gatewayKey(snapshot, gateway);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(error.format());
      }
      System.err.printf("aigis: configuration is invalid (%d error%s); not starting%n",
          e.errors().size(), e.errors().size() == 1 ? "" : "s");
      release.run();
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("aigis: " + e.getMessage() + (gateway == null ? " with --gateway" : ""));
      release.run();
      return 1;
    }
    if (!processing.gatewayPreRouting().containsKey(key) && !processing.gatewayPostRouting().containsKey(key)) {
      LOG.warn("no PayloadProcessor targets Gateway {}; every exchange passes through unchanged", key);
    }
    var current = new AtomicReference<>(RuntimeConfig.compile(snapshot, processing));
    runtimes.committed();
    ExtProcServer server;
    try {
      server = ExtProcServer.builder(current::get, key).port(port).build().start();
    } catch (IOException | RuntimeException e) {
      System.err.println("aigis: cannot start the ext_proc server on port " + port + ": " + e.getMessage());
      release.run();
      return 1;
    }
    String gatewayKey = key;
    // Watched like `aigis run -f`: a valid change applies to new streams, a refused one keeps the old.
    ConfigWatcher watcher = ConfigWatcher.start(files, changed -> {
      ExtProcServer.gatewayKey(changed, gatewayKey); // the Gateway must still exist
      try {
        current.set(RuntimeConfig.compile(changed, compiler.compile(changed)));
      } catch (ConfigException | RuntimeException e) {
        runtimes.discarded();
        throw e;
      }
      runtimes.committed();
    });
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      if (watcher != null) {
        watcher.close();
      }
      server.close();
      release.run();
      stopped.countDown();
    }, "aigis-shutdown"));
    LOG.info("aigis ext_proc server for Gateway {} listening on port {}", key, server.port());
    stopped.await();
    return 0;
  }
}
