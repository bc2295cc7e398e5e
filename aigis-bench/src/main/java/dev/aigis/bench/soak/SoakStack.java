package dev.aigis.bench.soak;

import dev.aigis.bench.BenchMain;
import dev.aigis.bench.Children;
import dev.aigis.bench.UpstreamMain;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes under soak, as child JVMs of the harness: the fake OpenAI upstream ({@link
 * UpstreamMain}) and the gateway, the real app jar with the launcher's JVM options, on this
 * package's {@code gateway.yaml}, with its admin port on (for {@code /metrics}), its access log on
 * (counted at the end) and a GC log ({@code -Xlog:gc}, added to the JVM options: it changes nothing
 * but what is logged, and shows what the sampler's forced GCs cost). Logs go to the run's work
 * directory.
 */
record SoakStack(int upstreamPort, int gatewayPort, int adminPort, Process gateway, Path gatewayLog, Path gcLog) {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int UPSTREAM_EVENT_LOOPS = 2;

  static SoakStack start(SoakOptions o, Children children, Path work) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path benchJar = o.root().resolve("aigis-bench/target/aigis-bench.jar");
    Path appJar = o.root().resolve("aigis-app/target/aigis-app.jar");
    for (Path jar : List.of(benchJar, appJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IOException(jar + " is missing; build first (./mvnw -Dmaven.test.skip=true package)");
      }
    }
    var ready = new StringBuilder();
    children.startAndAwaitLine("upstream", List.of(java, "-XX:+UseParallelGC", "-Xss512k", "-cp",
            benchJar + ":" + o.root().resolve("aigis-bench/target/lib") + "/*", UpstreamMain.class.getName(), "0",
            Integer.toString(UPSTREAM_EVENT_LOOPS)),
        l -> l.startsWith("READY port="), START_TIMEOUT, ready);
    int upstreamPort = Integer.parseInt(ready.substring("READY port=".length()).trim());

    int gatewayPort = BenchMain.freePort();
    int adminPort = BenchMain.freePort();
    Path yaml = work.resolve("gateway.yaml");
    Files.writeString(yaml, gatewayYaml(gatewayPort, upstreamPort));
    Path gcLog = work.resolve("gateway-gc.log");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(List.of(o.gatewayJavaOpts().trim().split("\\s+")));
    command.add("-Xlog:gc:file=" + gcLog);
    command.addAll(List.of("-cp", appJar + ":" + o.root().resolve("aigis-app/target/lib") + "/*",
        "dev.aigis.app.Main", "run", "-f", yaml.toString(), "--host", "127.0.0.1",
        "--admin-port", Integer.toString(adminPort)));
    Process gateway = children.start("gateway", command);
    var stack = new SoakStack(upstreamPort, gatewayPort, adminPort, gateway, children.log("gateway"), gcLog);
    stack.awaitReady(children);
    return stack;
  }

  /** This package's {@code gateway.yaml} with the ports and the route timeout filled in. */
  static String gatewayYaml(int gatewayPort, int upstreamPort) throws IOException {
    try (InputStream in = SoakStack.class.getResourceAsStream("gateway.yaml")) {
      if (in == null) {
        throw new IOException("missing resource gateway.yaml");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("${GATEWAY_PORT}", Integer.toString(gatewayPort))
          .replace("${UPSTREAM_PORT}", Integer.toString(upstreamPort))
          .replace("${ROUTE_TIMEOUT}", Fault.ROUTE_TIMEOUT_MS + "ms");
    }
  }

  /** {@code aigis_requests_total} and the rest, as the admin port serves them. */
  String scrapeMetrics() throws IOException, InterruptedException {
    var response = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + response.statusCode());
    }
    return response.body();
  }

  /** Waits for {@code /readyz}, then for one plain chat completion through the gateway. */
  private void awaitReady(Children children) throws Exception {
    var client = http();
    byte[] body = SoakRequests.body(SoakRequests.load("openai-request.json"),
        new RequestMix.Scenario(TrafficKind.OPENAI_PLAIN, Fault.NONE));
    var readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
        .timeout(Duration.ofSeconds(5)).build();
    var chat = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + ClientApi.OPENAI.path()))
        .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        throw new IOException("the gateway exited while starting:\n" + children.tail("gateway", 30));
      }
      try {
        if (client.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          var answer = client.send(chat, HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() == 200) {
            return;
          }
          last = "HTTP " + answer.statusCode() + ": " + answer.body();
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IOException("the gateway was not ready within " + START_TIMEOUT + " (" + last + "); log:\n"
        + children.tail("gateway", 30));
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }
}
