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
    CompiledProcessing processing;
    String key;
    try {
      snapshot = ConfigPipeline.loadAndCompile(files, System::getenv);
      processing = new ProcessingCompiler(channels).compile(snapshot);
      key = ExtProcServer.gatewayKey(snapshot, gateway);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(error.format());
      }
      System.err.printf("aigis: configuration is invalid (%d error%s); not starting%n",
          e.errors().size(), e.errors().size() == 1 ? "" : "s");
      channels.close();
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("aigis: " + e.getMessage() + (gateway == null ? " with --gateway" : ""));
      channels.close();
      return 1;
    }
    if (!processing.gatewayPreRouting().containsKey(key) && !processing.gatewayPostRouting().containsKey(key)) {
      LOG.warn("no PayloadProcessor targets Gateway {}; every exchange passes through unchanged", key);
    }
    var current = new AtomicReference<>(RuntimeConfig.compile(snapshot, processing));
    ExtProcServer server;
    try {
      server = ExtProcServer.builder(current::get, key).port(port).build().start();
    } catch (IOException | RuntimeException e) {
      System.err.println("aigis: cannot start the ext_proc server on port " + port + ": " + e.getMessage());
      channels.close();
      return 1;
    }
    String gatewayKey = key;
    // Watched like `aigis run -f`: a valid change applies to new streams, a refused one keeps the old.
    ConfigWatcher watcher = ConfigWatcher.start(files, changed -> {
      ExtProcServer.gatewayKey(changed, gatewayKey); // the Gateway must still exist
      current.set(RuntimeConfig.compile(changed, new ProcessingCompiler(channels).compile(changed)));
    });
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      if (watcher != null) {
        watcher.close();
      }
      server.close();
      channels.close();
      stopped.countDown();
    }, "aigis-shutdown"));
    LOG.info("aigis ext_proc server for Gateway {} listening on port {}", key, server.port());
    stopped.await();
    return 0;
  }
}
