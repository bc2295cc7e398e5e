package dev.aigis.bench;

import dev.aigis.bench.soak.SoakMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./aigis bench}: the load harness. Starts the fake OpenAI upstream and the gateway as
 * separate JVMs (and nginx when installed), drives each target closed-loop from this process, and
 * writes {@code docs/benchmarks.md}, keeping the sections of {@code ./aigis bench wrk} ({@link
 * WrkBench}, to which {@code wrk} as the first argument hands over) and {@code ./aigis bench soak}
 * ({@link SoakMain}, likewise for {@code soak}). See that file for the method and its caveats.
 *
 * <pre>
 * ./aigis bench [--connections 8,32,64] [--warmup 5] [--duration 15] [--stream-connections 8]
 *               [--upstream-threads 2] [--gateway-event-loops 0] [--gateway-java-opts "..."]
 *               [--no-nginx] [--no-stream] [--output FILE]
 * ./aigis bench wrk [options: see WrkBench]
 * ./aigis bench soak [options: see SoakOptions]
 * </pre>
 */
public final class BenchMain {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private BenchMain() {}

  /** Parsed command line. */
  record Options(Path root, List<Integer> connections, double warmup, double duration,
      int streamConnections, int upstreamThreads, int gatewayEventLoops, String gatewayJavaOpts,
      boolean nginx, boolean stream, Path output, List<String> args) {

    static Options parse(String[] argv) {
      Path root = Path.of(".");
      List<Integer> connections = List.of(32);
      double warmup = 5;
      double duration = 15;
      int streamConnections = 8;
      int upstreamThreads = 2;
      int gatewayLoops = 0;
      String javaOpts = "--enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xss512k";
      boolean nginx = true;
      boolean stream = true;
      Path output = null;
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < argv.length; i++) {
        if (argv[i].equals("--root")) {
          i++;
        } else {
          shown.add(argv[i].contains(" ") ? "\"" + argv[i] + "\"" : argv[i]);
        }
      }
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "--root" -> root = Path.of(argv[++i]);
          case "--connections" -> connections = Arrays.stream(argv[++i].split(","))
              .map(String::trim).map(Integer::parseInt).toList();
          case "--warmup" -> warmup = seconds(argv[++i]);
          case "--duration" -> duration = seconds(argv[++i]);
          case "--stream-connections" -> streamConnections = Integer.parseInt(argv[++i]);
          case "--upstream-threads" -> upstreamThreads = Integer.parseInt(argv[++i]);
          case "--gateway-event-loops" -> gatewayLoops = Integer.parseInt(argv[++i]);
          case "--gateway-java-opts" -> javaOpts = argv[++i];
          case "--no-nginx" -> nginx = false;
          case "--no-stream" -> stream = false;
          case "--output" -> output = Path.of(argv[++i]);
          case "-h", "--help" -> {
            System.out.println(usage());
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
        }
      }
      if (connections.stream().anyMatch(c -> c < 1) || streamConnections < 1 || duration <= 0 || warmup < 0) {
        throw new IllegalArgumentException("connections must be >= 1, duration > 0, warmup >= 0");
      }
      root = root.toAbsolutePath().normalize();
      return new Options(root, connections, warmup, duration, streamConnections, upstreamThreads,
          gatewayLoops, javaOpts, nginx, stream,
          output != null ? output : root.resolve("docs/benchmarks.md"), List.copyOf(shown));
    }

    private static double seconds(String s) {
      return Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
    }

    static String usage() {
      return "usage: ./aigis bench [--connections 8,32,64] [--warmup SECONDS] [--duration SECONDS]"
          + " [--stream-connections N] [--upstream-threads N] [--gateway-event-loops N]"
          + " [--gateway-java-opts OPTS] [--no-nginx] [--no-stream] [--output FILE]";
    }

    String command() {
      return ("./aigis bench " + String.join(" ", args)).trim();
    }
  }

  public static void main(String[] argv) throws Exception {
    List<String> args = new ArrayList<>(List.of(argv));
    int root = args.indexOf("--root");
    if (root >= 0 && root + 1 < args.size()) {
      args.subList(root, root + 2).clear();
    }
    if (!args.isEmpty() && args.getFirst().equals("wrk")) {
      WrkBench.main(argv);
      return;
    }
    if (!args.isEmpty() && args.getFirst().equals("soak")) {
      SoakMain.main(argv);
      return;
    }
    Options options;
    try {
      options = Options.parse(argv);
    } catch (RuntimeException e) {
      System.err.println("aigis bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    // an upper bound for the whole run: phases plus generous start-up margins
    int phases = options.connections().size() * 3 + (options.stream() ? 3 : 0);
    long boundMs = (long) (phases * (options.warmup() + options.duration() + 15) * 1000) + 180_000;
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(boundMs);
        System.err.println("aigis bench: still running after " + boundMs / 1000 + " s; giving up");
        System.exit(3);
      } catch (InterruptedException ignored) {
        // finished in time
      }
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int status;
    try {
      status = run(options);
    } catch (Exception e) {
      System.err.println("aigis bench: " + e.getMessage());
      e.printStackTrace();
      status = 1;
    }
    watchdog.interrupt();
    System.exit(status);
  }

  private static int run(Options o) throws Exception {
    Path work = Files.createTempDirectory("aigis-bench-");
    String java = ProcessHandle.current().info().command().orElse("java");
    Path benchJar = o.root().resolve("aigis-bench/target/aigis-bench.jar");
    Path appJar = o.root().resolve("aigis-app/target/aigis-app.jar");
    for (Path jar : List.of(benchJar, appJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IOException(jar + " is missing; build first (./mvnw -Dmaven.test.skip=true package)");
      }
    }
    System.err.println("aigis bench: logs and generated configs in " + work);
    List<Report.Row> rows = new ArrayList<>();
    List<Report.Row> streamRows = new ArrayList<>();
    Optional<Path> nginxBinary = o.nginx() ? Nginx.find() : Optional.empty();
    String nginxNote;
    try (var children = new Children(work)) {
      // 1. upstream
      var ready = new StringBuilder();
      String benchCp = benchJar + ":" + o.root().resolve("aigis-bench/target/lib") + "/*";
      List<String> upstreamCmd = new ArrayList<>(List.of(java));
      upstreamCmd.addAll(List.of("-XX:+UseParallelGC", "-Xss512k"));
      upstreamCmd.addAll(List.of("-cp", benchCp, UpstreamMain.class.getName(), "0",
          Integer.toString(o.upstreamThreads())));
      children.startAndAwaitLine("upstream", upstreamCmd, l -> l.startsWith("READY port="),
          START_TIMEOUT, ready);
      int upstreamPort = Integer.parseInt(ready.substring("READY port=".length()).trim());
      awaitOk("upstream", upstreamPort, Workload.PATH, children, "upstream");

      // 2. gateway
      int gatewayPort = freePort();
      Path yaml = work.resolve("gateway.yaml");
      int policyPort = freePort();
      Files.writeString(yaml, gatewayYaml(gatewayPort, upstreamPort) + policyYaml(policyPort));
      List<String> gatewayCmd = gatewayCommand(java, o.root(), o.gatewayJavaOpts(), yaml);
      if (o.gatewayEventLoops() > 0) {
        gatewayCmd.addAll(List.of("--event-loops", Integer.toString(o.gatewayEventLoops())));
      }
      Process gateway = children.start("gateway", gatewayCmd);
      System.err.println("aigis bench: gateway pid " + gateway.pid() + " on 127.0.0.1:" + gatewayPort);
      awaitOk("gateway", gatewayPort, Workload.PATH, children, "gateway");

      // 3. nginx
      int nginxPort = -1;
      if (nginxBinary.isPresent()) {
        nginxPort = freePort();
        Path conf = Nginx.writeConfig(work.resolve("nginx"), nginxPort, upstreamPort);
        children.start("nginx", Nginx.command(nginxBinary.get(), conf));
        awaitOk("nginx", nginxPort, Workload.PATH, children, "nginx");
        nginxNote = "nginx " + Nginx.version(nginxBinary.get());
      } else {
        nginxNote = o.nginx() ? "nginx not installed: its rows are skipped" : "nginx skipped (--no-nginx)";
        System.err.println("aigis bench: " + nginxNote);
      }

      byte[] chat = Workload.chat();
      // JVM targets (the upstream, the gateway) need JIT warm-up far beyond one row's warm-up: without
      // it the first gateway row measures the interpreter. Unmeasured, with the largest connection count.
      int jitConnections = o.connections().stream().max(Integer::compare).orElseThrow();
      System.err.printf("aigis bench: JIT warm-up, %d s through the gateway (unmeasured)...%n", (int) JIT_WARMUP_SECONDS);
      LoadGenerator.run(new LoadGenerator.Spec(gatewayPort, Workload.PATH, chat, null, false), jitConnections,
          JIT_WARMUP_SECONDS, 1);
      for (int c : o.connections()) {
        rows.add(measure("direct", new LoadGenerator.Spec(upstreamPort, Workload.PATH, chat, null, false), c, o));
        rows.add(measure("aigis", new LoadGenerator.Spec(gatewayPort, Workload.PATH, chat, null, false), c, o));
        rows.add(measure("aigis+key+limit", new LoadGenerator.Spec(policyPort, Workload.PATH, chat, null, false,
            "Bearer " + BENCH_KEY), c, o));
        if (nginxPort > 0) {
          rows.add(measure("nginx", new LoadGenerator.Spec(nginxPort, Workload.PATH, chat, null, false), c, o));
        }
      }
      if (o.stream()) {
        byte[] streaming = Workload.streamingChat();
        String b = Workload.STREAM_BEHAVIOR;
        int c = o.streamConnections();
        streamRows.add(measure("direct", new LoadGenerator.Spec(upstreamPort, Workload.PATH, streaming, b, true), c, o));
        streamRows.add(measure("aigis", new LoadGenerator.Spec(gatewayPort, Workload.PATH, streaming, b, true), c, o));
        if (nginxPort > 0) {
          streamRows.add(measure("nginx", new LoadGenerator.Spec(nginxPort, Nginx.STREAM_PREFIX + Workload.PATH,
              streaming, b, true), c, o));
        }
      }
      if (!gateway.isAlive()) {
        throw new IOException("the gateway exited during the run:\n" + children.tail("gateway", 30));
      }
    }
    String markdown = Report.markdown(o, rows, streamRows, nginxNote);
    Files.createDirectories(o.output().getParent());
    Files.writeString(o.output(), GeneratedSection.keepAll(o.output(), markdown));
    System.out.println(markdown);
    System.err.println("aigis bench: wrote " + o.output());
    return 0;
  }

  private static final double JIT_WARMUP_SECONDS = 20;

  private static Report.Row measure(String target, LoadGenerator.Spec spec, int connections, Options o)
      throws Exception {
    System.err.printf("aigis bench: %-6s %s c=%d: %.0f s warm-up, %.0f s measured...%n", target,
        spec.stream() ? "stream" : "chat", connections, o.warmup(), o.duration());
    var result = LoadGenerator.run(spec, connections, o.warmup(), o.duration());
    var row = new Report.Row(target, result);
    System.err.println("aigis bench:   " + row.summary());
    if (result.errors() > 0) {
      System.err.println("aigis bench:   first error: " + result.firstError());
    }
    return row;
  }

  /** The gateway on {@code yaml}: no admin port, loopback only, no access log. */
  static List<String> gatewayCommand(String java, Path root, String javaOpts, Path yaml) {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(List.of(javaOpts.trim().split("\\s+")));
    command.addAll(List.of("-cp", root.resolve("aigis-app/target/aigis-app.jar") + ":"
        + root.resolve("aigis-app/target/lib") + "/*", "dev.aigis.app.Main", "run", "-f", yaml.toString(),
        "--admin-port", "-1", "--host", "127.0.0.1", "--no-access-log"));
    return command;
  }

  /** Polls until {@code port} answers the workload with 200, or fails after the start timeout. */
  static void awaitOk(String what, int port, String path, Children children, String log)
      throws Exception {
    var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Workload.chat())).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        var response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode() + ": " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IOException(what + " did not answer 200 within " + START_TIMEOUT + " (" + last + "); log:\n"
        + children.tail(log, 30));
  }

  public static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The bench's virtual key; only its hash is in the generated configuration. */
  static final String BENCH_KEY = "sk-aigis-benchbenchbenchbenchbenchbenchbenchbench012";

  /**
   * A second Gateway on {@code port} in front of the same backend, with what a typical deployment
   * turns on: a virtual API key checked by an AccessPolicy and a per-key token limit (in memory, set
   * high enough never to refuse during a run), so its row measures their overhead against plain
   * passthrough.
   */
  static String policyYaml(int port) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: bench-policy}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: %d, protocol: HTTP}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models-policy}
        spec:
          parentRefs: [{name: bench-policy}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aigis-key-bench}
        type: aigis.dev/api-key
        stringData: {name: bench, team: perf, sha256: %s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: bench-access}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: bench-policy}
          authentication: {apiKeys: {}}
          rules: [{name: perf, from: {teams: [perf]}, models: [{type: Prefix, value: gpt-4o}], action: Allow}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: bench-limits}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: bench-policy}
          rules:
          - name: tokens-per-key
            key: identity.key
            limit: {volumeUnits: TOKENS, volume: 1000000000000, timeUnit: Minute}
        """.formatted(port, sha256Hex(BENCH_KEY));
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String gatewayYaml(int gatewayPort, int upstreamPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: bench}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: %d, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upstream-key}
        stringData: {apiKey: sk-upstream-secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %d}
          credentials: {secretRef: {name: upstream-key, key: apiKey}}
          timeouts: {connect: 2s, response: 30s, idle: 30s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: bench}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        """.formatted(gatewayPort, upstreamPort);
  }
}
