package dev.aigis.app;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.GatewayServer;
import dev.aigis.server.ServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aigis run}: serves the given resources, or the embedded defaults, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the gateway. Without -f it serves the embedded defaults (the aigis-echo model, and OpenAI when OPENAI_API_KEY is set).")
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-f", "--file"}, description = "YAML file(s) of resources (repeatable); watched and hot-reloaded.")
  List<Path> files = List.of();

  @Option(names = "--port", defaultValue = "8080", description = "Traffic port of the embedded configuration (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--admin-port", defaultValue = "9901", description = "Port of /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}; -1 disables).")
  int adminPort;

  @Option(names = "--admin-host", defaultValue = "127.0.0.1", description = "Interface of the admin port (default: ${DEFAULT-VALUE}).")
  String adminHost;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface the listeners bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--max-body-bytes", defaultValue = "2097152", description = "Largest request body buffered (default: ${DEFAULT-VALUE}); 413 above.")
  long maxBodyBytes;

  @Option(names = "--body-stall-timeout", defaultValue = "60",
      description = "Seconds a request body may send nothing before a 408 and a closed connection (default: ${DEFAULT-VALUE}).")
  long bodyStallSeconds;

  @Option(names = "--max-connections-per-client", defaultValue = "1024",
      description = "Open connections one client address may hold; more are closed as they arrive (default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerClient;

  @Option(names = "--header-timeout", defaultValue = "60",
      description = "Seconds a connection may take to send a complete request head, from opening or from its last "
          + "response; then it is closed (default: ${DEFAULT-VALUE}).")
  long headerSeconds;

  @Option(names = "--max-connections", defaultValue = "0",
      description = "Open client connections in all; more are closed as they arrive (default: half the descriptor limit).")
  int maxConnections;

  @Option(names = "--trusted-hops", defaultValue = "0",
      description = "Proxies in front of the gateway whose X-Forwarded-For entries are kept (default: ${DEFAULT-VALUE}: "
          + "a client-written X-Forwarded-For is replaced by the peer address).")
  int trustedHops;

  @Option(names = "--resolve", paramLabel = "HOST:PORT:ADDRESS",
      description = "Connect to ADDRESS for upstream HOST:PORT, as curl's --resolve (repeatable); TLS still checks HOST.")
  List<String> resolve = new ArrayList<>();

  @Option(names = "--h2c", description = "Accept cleartext HTTP/2 on HTTP listeners (prior knowledge or Upgrade); off by default.")
  boolean h2c;

  @Option(names = "--event-loops", defaultValue = "0", description = "Event-loop threads (default: one per core).")
  int eventLoops;

  @Option(names = "--no-access-log", description = "Do not write the per-request JSON access log.")
  boolean noAccessLog;

  @Option(names = "--debug-headers", description = "Add x-aigis-route, x-aigis-backend and x-aigis-processors to responses.")
  boolean debugHeaders;

  @Option(names = "--audit-log", paramLabel = "FILE",
      description = "Write a hash-chained JSON Lines audit record of every outbound call and policy refusal to FILE (off by default).")
  java.nio.file.Path auditLog;

  @Option(names = "--audit-log-max-bytes", defaultValue = "104857600",
      description = "Rotate the audit log before it grows past this size (default: ${DEFAULT-VALUE}).")
  long auditLogMaxBytes;

  @Option(names = "--audit-log-files", defaultValue = "5",
      description = "Rotated audit files kept besides the current one: FILE.1 ... FILE.N (default: ${DEFAULT-VALUE}).")
  int auditLogFiles;

  @Option(names = "--audit-log-content", defaultValue = "none", paramLabel = "none|hash",
      description = "What audit records carry of the request: none, or hash (SHA-256 of the body sent upstream; never the text). Default: ${DEFAULT-VALUE}.")
  String auditLogContent;

  @Override
  public Integer call() throws InterruptedException {
    var pins = new java.util.LinkedHashMap<String, String>();
    for (String pin : resolve) {
      try {
        var entry = ServerOptions.parseResolve(pin);
        pins.put(entry.getKey(), entry.getValue());
      } catch (IllegalArgumentException e) {
        System.err.println("aigis: --resolve: " + e.getMessage());
        return 2;
      }
    }
    ConfigSnapshot snapshot;
    try {
      snapshot = files.isEmpty()
          ? ConfigPipeline.compileText(EmbeddedConfig.FILE_NAME, EmbeddedConfig.yaml(port, System::getenv), System::getenv)
          : ConfigPipeline.loadAndCompile(files, System::getenv);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(error.format());
      }
      System.err.println("aigis: configuration is invalid; not starting");
      return 1;
    }
    var options = ServerOptions.defaults()
        .withAdminPort(adminPort)
        .withTrafficHost(host)
        .withMaxRequestBodyBytes(maxBodyBytes)
        .withEventLoops(eventLoops)
        .withAdminHost(adminHost)
        .withAccessLog(!noAccessLog)
        .withDebugHeaders(debugHeaders)
        .withBodyStallTimeout(java.time.Duration.ofSeconds(Math.max(1, bodyStallSeconds)))
        .withMaxConnectionsPerClient(Math.max(1, maxConnectionsPerClient))
        .withH2c(h2c)
        .withHeaderTimeout(java.time.Duration.ofSeconds(Math.max(1, headerSeconds)))
        .withMaxConnections(Math.max(0, maxConnections))
        .withTrustedHops(Math.max(0, trustedHops))
        .withResolve(pins);
    dev.aigis.server.audit.AuditLog audit;
    try {
      audit = openAuditLog();
    } catch (RuntimeException e) {
      System.err.println("aigis: cannot open the audit log: " + e.getMessage());
      return 1;
    }
    GatewayServer server;
    try {
      server = GatewayServer.start(snapshot, options, java.time.InstantSource.system(), audit);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(error.format());
      }
      System.err.println("aigis: configuration is invalid; not starting");
      closeAudit(audit);
      return 1;
    } catch (RuntimeException e) {
      System.err.println("aigis: cannot start: " + e.getMessage());
      closeAudit(audit);
      return 1;
    }
    ConfigWatcher watcher = files.isEmpty() ? null : ConfigWatcher.start(files, server);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      if (watcher != null) {
        watcher.close();
      }
      server.close();
      closeAudit(audit);
      stopped.countDown();
    }, "aigis-shutdown"));
    LOG.info("aigis is serving {} listener(s); try: curl localhost:{}/v1/chat/completions -H 'content-type: application/json' "
        + "-d '{\"model\":\"aigis-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'",
        snapshot.listeners().size(), snapshot.listeners().getFirst().port());
    stopped.await();
    return 0;
  }

  /** The audit log the flags ask for, or null when {@code --audit-log} is not given. */
  private dev.aigis.server.audit.AuditLog openAuditLog() {
    if (auditLog == null) {
      return null;
    }
    var content = switch (auditLogContent.toLowerCase(java.util.Locale.ROOT)) {
      case "none" -> dev.aigis.server.audit.AuditLog.Content.NONE;
      case "hash" -> dev.aigis.server.audit.AuditLog.Content.HASH;
      default -> throw new IllegalArgumentException("--audit-log-content must be none or hash, not " + auditLogContent);
    };
    return dev.aigis.server.audit.AuditLog.builder(auditLog)
        .maxBytes(auditLogMaxBytes)
        .files(auditLogFiles)
        .content(content)
        .build();
  }

  private static void closeAudit(dev.aigis.server.audit.AuditLog audit) {
    if (audit != null) {
      audit.close();
    }
  }
}
