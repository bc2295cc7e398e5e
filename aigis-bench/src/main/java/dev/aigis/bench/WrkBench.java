package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./aigis bench wrk}: Aigis against nginx, driven by wrk instead of the Java load generator.
 * nginx serves a static chat completion as the upstream; each target (that upstream directly, an
 * nginx reverse proxy, the gateway passthrough, the gateway with four CEL processors on the route)
 * is warmed up, then measured for throughput at {@code --connections} and for latency at one
 * connection. The table replaces the marked section of {@code docs/benchmarks.md} ({@link
 * GeneratedSection#WRK}); the rest of the file is kept.
 *
 * <pre>
 * ./aigis bench wrk [--warmup 15] [--duration 20] [--connections 32] [--max-other-cpu 5] [--jfr]
 *                   [--label TEXT] [--gateway-java-opts "..."] [--output FILE]
 * </pre>
 *
 * <p>The two gateways (passthrough, CEL) run one after the other, each in a fresh JVM: a processor
 * that reads bodies makes the gateway buffer every request body, so one process serving both would
 * not measure the plain passthrough.
 */
final class WrkBench {

  static final int CEL_PROCESSORS = 4;
  static final String CEL_TARGET = "aigis + " + CEL_PROCESSORS + " CEL";
  static final String GUARD_TARGET = "aigis + guardrails";

  /** One gateway configuration under test: its processors on the route. */
  private record Variant(String name, String target, int celProcessors, boolean guards) {}

  private static final List<Variant> VARIANTS = List.of(
      new Variant("aigis", "aigis", 0, false),
      new Variant("aigis-cel", CEL_TARGET, CEL_PROCESSORS, false),
      new Variant("aigis-guard", GUARD_TARGET, 0, true));
  private static final int THREADS = 2;
  /** Measurements disturbed by other processes are taken again, at most this many more times. */
  static final int RETRIES = 3;
  /** Longest wait for a quiet machine before each measurement. */
  private static final int QUIET_WAIT_SECONDS = 180;

  private WrkBench() {}

  /** Parsed command line. Durations are whole seconds, as wrk takes them. */
  record Options(Path root, int warmup, int duration, int connections, double maxOtherCpu, boolean jfr,
      String label, String gatewayJavaOpts, Path output, List<String> args) {

    static Options parse(String[] argv) {
      Path root = Path.of(".");
      int warmup = 15;
      int duration = 20;
      int connections = 32;
      double maxOtherCpu = 5;
      boolean jfr = false;
      String label = "";
      // the launcher's defaults for ./aigis run
      String javaOpts = "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
          + " -XX:+UseParallelGC -Xss512k";
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
          case "wrk" -> { }
          case "--root" -> root = Path.of(argv[++i]);
          case "--warmup" -> warmup = seconds(argv[++i]);
          case "--duration" -> duration = seconds(argv[++i]);
          case "--connections" -> connections = Integer.parseInt(argv[++i]);
          case "--max-other-cpu" -> maxOtherCpu = Double.parseDouble(argv[++i]);
          case "--jfr" -> jfr = true;
          case "--label" -> label = argv[++i];
          case "--gateway-java-opts" -> javaOpts = argv[++i];
          case "--output" -> output = Path.of(argv[++i]);
          case "-h", "--help" -> {
            System.out.println(usage());
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
        }
      }
      if (connections < THREADS || duration < 1 || warmup < 0) {
        throw new IllegalArgumentException("--connections must be >= " + THREADS + ", --duration >= 1, --warmup >= 0");
      }
      root = root.toAbsolutePath().normalize();
      return new Options(root, warmup, duration, connections, maxOtherCpu, jfr, label, javaOpts,
          output != null ? output : root.resolve("docs/benchmarks.md"), List.copyOf(shown));
    }

    private static int seconds(String s) {
      return Integer.parseInt(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
    }

    static String usage() {
      return "usage: ./aigis bench wrk [--warmup SECONDS] [--duration SECONDS] [--connections N]"
          + " [--max-other-cpu PERCENT] [--jfr] [--label TEXT] [--gateway-java-opts OPTS] [--output FILE]";
    }

    String command() {
      return "./aigis bench " + String.join(" ", args);
    }
  }

  /** One measured run of one target, with the CPU share (percent) other processes took meanwhile. */
  record Row(String target, Wrk.Result result, double othersCpu) {}

  static void main(String[] argv) {
    int status;
    try {
      status = run(Options.parse(argv));
    } catch (IllegalArgumentException e) {
      System.err.println("aigis bench wrk: " + e.getMessage());
      status = 2;
    } catch (IOException e) {
      System.err.println("aigis bench wrk: " + e.getMessage());
      status = 1;
    } catch (Exception e) {
      System.err.println("aigis bench wrk: " + e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static int run(Options o) throws Exception {
    if (!Files.isRegularFile(o.root().resolve("aigis-app/target/aigis-app.jar"))) {
      throw new IOException("aigis-app/target/aigis-app.jar is missing; build first (./mvnw -Dmaven.test.skip=true package)");
    }
    Path work = Files.createTempDirectory("aigis-bench-wrk-");
    System.err.println("aigis bench wrk: logs, configs and wrk output in " + work);
    Map<String, Path> tools = DebianTools.require(Map.of("wrk", "wrk", "nginx", "nginx"), work);
    Path nginx = tools.get("nginx");
    String java = ProcessHandle.current().info().command().orElse("java");
    Wrk wrk = Wrk.prepare(tools.get("wrk"), work);
    List<Row> rows = new ArrayList<>();
    try (var children = new Children(work)) {
      int upstreamPort = BenchMain.freePort();
      Path upstreamConf = Nginx.writeStaticUpstream(work.resolve("upstream"), upstreamPort, Workload.CHAT_COMPLETION);
      children.start("upstream", Nginx.command(nginx, upstreamConf));
      BenchMain.awaitOk("upstream nginx", upstreamPort, Workload.PATH, children, "upstream");

      int proxyPort = BenchMain.freePort();
      Path proxyConf = Nginx.writeConfig(work.resolve("proxy"), proxyPort, upstreamPort);
      children.start("nginx", Nginx.command(nginx, proxyConf));
      BenchMain.awaitOk("nginx proxy", proxyPort, Workload.PATH, children, "nginx");

      rows.addAll(measure("direct", upstreamPort, wrk, o));
      rows.addAll(measure("nginx", proxyPort, wrk, o));
      for (Variant variant : VARIANTS) {
        String name = variant.name();
        int port = BenchMain.freePort();
        Path yaml = work.resolve(name + ".yaml");
        Files.writeString(yaml, gatewayYaml(port, upstreamPort, variant.celProcessors(), variant.guards()));
        Process gateway = children.start(name, BenchMain.gatewayCommand(java, o.root(), o.gatewayJavaOpts(), yaml));
        System.err.println("aigis bench wrk: " + name + " pid " + gateway.pid() + " on 127.0.0.1:" + port);
        BenchMain.awaitOk(name, port, Workload.PATH, children, name);
        rows.addAll(measure(variant.target(), port, wrk, o));
        if (variant.celProcessors() == 0 && !variant.guards() && o.jfr()) {
          profile(gateway, port, wrk, o, java, work);
        }
        if (!gateway.isAlive()) {
          throw new IOException(name + " exited during the run:\n" + children.tail(name, 30));
        }
        children.stop(gateway);
      }
    }
    String section = WrkReport.section(o, rows, Nginx.version(nginx), Wrk.version(tools.get("wrk")));
    Files.createDirectories(o.output().getParent());
    String existing = Files.exists(o.output()) ? Files.readString(o.output()) : "";
    Files.writeString(o.output(), GeneratedSection.WRK.replaceIn(existing, section));
    System.out.println(section);
    System.err.println("aigis bench wrk: wrote " + o.output());
    return 0;
  }

  /**
   * Warm-up at full concurrency (unmeasured: JIT, pools, caches), then throughput, then latency at
   * 1. Each measurement waits for a quiet machine first, and is taken again (up to {@link #RETRIES}
   * times) when other processes took more than {@code --max-other-cpu} meanwhile: on a shared box,
   * builds come and go, and one of them during a row skews that row only.
   */
  private static List<Row> measure(String target, int port, Wrk wrk, Options o) throws Exception {
    String file = target.replaceAll("\\W+", "-");
    if (o.warmup() > 0) {
      System.err.printf("aigis bench wrk: %-15s warm-up %d s at %d connections%n", target, o.warmup(), o.connections());
      wrk.run(file + "-warmup", port, THREADS, o.connections(), o.warmup());
    }
    List<Row> rows = new ArrayList<>();
    for (int c : new int[] {o.connections(), 1}) {
      for (int attempt = 0; ; attempt++) {
        CpuShare.awaitQuiet(o.maxOtherCpu(), QUIET_WAIT_SECONDS);
        Optional<CpuShare> start = CpuShare.now();
        var result = wrk.run(file + "-c" + c, port, Math.min(THREADS, c), c, o.duration());
        var row = new Row(target, result, CpuShare.since(start));
        System.err.printf(Locale.ROOT, "aigis bench wrk: %-15s c=%-3d %,10.0f req/s  p50 %s  p99 %s  errors %d"
                + "  (others %.0f%% CPU)%n", target, c, result.rate(), Report.ms(result.p50Micros()),
            Report.ms(result.p99Micros()), result.errors(), row.othersCpu());
        if (!(row.othersCpu() > o.maxOtherCpu()) || attempt == RETRIES) {
          rows.add(row);
          break;
        }
        System.err.println("aigis bench wrk:   disturbed by other processes; measuring again");
      }
    }
    return rows;
  }

  /**
   * JFR ({@code settings=profile}) over one more passthrough run at full concurrency, started and
   * stopped with jcmd so it holds neither start-up nor warm-up, and kept out of the table since
   * the recording itself costs a little.
   */
  private static void profile(Process gateway, int port, Wrk wrk, Options o, String java, Path work)
      throws Exception {
    Path jfr = work.resolve("gateway.jfr");
    String jcmd = Path.of(java).resolveSibling("jcmd").toString();
    System.err.printf("aigis bench wrk: JFR of the gateway over %d s at %d connections (unmeasured)%n",
        o.duration(), o.connections());
    exec(List.of(jcmd, Long.toString(gateway.pid()), "JFR.start", "name=bench", "settings=profile",
        "filename=" + jfr), work.resolve("jcmd.log"));
    wrk.run("aigis-jfr", port, THREADS, o.connections(), o.duration());
    exec(List.of(jcmd, Long.toString(gateway.pid()), "JFR.stop", "name=bench"), work.resolve("jcmd.log"));
    System.out.println("JFR of the gateway (" + jfr + "):");
    System.out.println(JfrTopFrames.summary(jfr, 15));
  }

  private static void exec(List<String> command, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed; see " + log);
    }
  }

  /**
   * One Gateway, one HTTPRoute ({@code PathPrefix /v1}) to the static upstream; with {@code
   * processors > 0}, a PostRouting PayloadProcessor on the route whose CEL processors each copy the
   * body's model into a header (the body is parsed once per request and shared, see
   * docs/processing.md "Cost").
   */
  static String gatewayYaml(int gatewayPort, int upstreamPort, int processors) {
    return gatewayYaml(gatewayPort, upstreamPort, processors, false);
  }

  /**
   * With {@code guards}, a PostRouting PayloadProcessor on the route with the default guard stack:
   * a Guardrail entry with injection detection (signatures and classifier) and PII redaction.
   */
  static String gatewayYaml(int gatewayPort, int upstreamPort, int processors, boolean guards) {
    var yaml = new StringBuilder("""
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
        metadata: {name: static}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
          credentials: {secretRef: {name: upstream-key, key: apiKey}}
          timeouts: {connect: 2s, response: 30s, idle: 30s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: bench}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v1}}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: static}]
        """.formatted(gatewayPort, upstreamPort));
    if (processors > 0) {
      yaml.append("""
          ---
          apiVersion: aigis.dev/v1alpha1
          kind: PayloadProcessor
          metadata: {name: cel-chain}
          spec:
            targetRef: {kind: HTTPRoute, name: models}
            phase: PostRouting
            processors:
          """);
      for (int i = 1; i <= processors; i++) {
        yaml.append("""
              - name: model-header-%1$d
                type: InProcess
                inProcess:
                  request:
                    setHeaders: [{name: x-bench-model-%1$d, value: "json(request.body).model"}]
            """.formatted(i));
      }
    }
    if (guards) {
      yaml.append("""
          ---
          apiVersion: aigis.dev/v1alpha1
          kind: PayloadProcessor
          metadata: {name: guards}
          spec:
            targetRef: {kind: HTTPRoute, name: models}
            phase: PostRouting
            processors:
            - name: guard
              type: Guardrail
              timeout: 5s
              guardrail:
                injection: {action: Block}
                pii: {action: Redact}
          """);
    }
    return yaml.toString();
  }
}
