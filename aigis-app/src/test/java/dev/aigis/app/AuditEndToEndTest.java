package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.core.identity.ApiKeys;
import dev.aigis.server.ServerOptions;
import dev.aigis.server.audit.AuditChain;
import dev.aigis.server.audit.AuditLog;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit log end to end: a gateway with an AccessPolicy in front of the fake OpenAI upstream
 * writes one record per call and per refusal, with identity, route, backend, host, model, status,
 * tokens and the attempt path but never the prompt or the key; {@code aigis audit verify} accepts
 * the file and names the line after it is edited.
 */
class AuditEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-12-07T10:00:05Z");
  static final String ALICE = ApiKeys.generate(new SecureRandom());
  static final String PROMPT = "the quarterly numbers nobody may read";

  @TempDir Path dir;

  private record Result(int exit, String out) {}

  private static Result aigis(String... args) {
    var out = new StringWriter();
    int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
        .execute(args);
    return new Result(exit, out.toString());
  }

  private static HttpResponse<String> chat(GatewayFixture gateway, String key, String behavior) {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    var request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + key)
        .header("x-fake-behavior", behavior)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return gateway.send(request);
  }

  @Test
  void recordsCallsAndRefusalsAndVerifies() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    String yaml = PolicyYaml.gatewayTo("default", "${PORT}", 0) + PolicyYaml.apiKey("default", "alice", "research", ALICE, "")
        + PolicyYaml.everyKeyAllowed("default");
    String sentUpstream;
    try (var upstream = FakeOpenAiUpstream.start()) {
      yaml = yaml.replace("port: 0}", "port: " + upstream.port() + "}");
      try (AuditLog audit = AuditLog.builder(file).clock(InstantSource.fixed(NOW)).content(AuditLog.Content.HASH).build()) {
        try (var gateway = GatewayFixture.start(yaml,
            ServerOptions.defaults().withAdminPort(-1).withTrafficHost("127.0.0.1"), Map.of(), InstantSource.fixed(NOW),
            audit)) {
          assertThat(chat(gateway, ALICE, "{\"promptTokens\":11,\"completionTokens\":7}").statusCode()).isEqualTo(200);
          sentUpstream = new String(upstream.lastRequest().body(), StandardCharsets.UTF_8);
          assertThat(chat(gateway, "sk-aigis-not-a-key", "{}").statusCode()).isEqualTo(401);
          assertThat(chat(gateway, ALICE, "{\"status\":503}").statusCode()).isGreaterThanOrEqualTo(500);
        }
      }
    }

    String text = Files.readString(file);
    assertThat(text).doesNotContain(PROMPT).doesNotContain(ALICE).doesNotContain("sk-aigis-not-a-key");
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      records.add(JSON.readTree(line));
    }
    assertThat(records).hasSize(3);
    String host = "127.0.0.1:" + records.getFirst().get("host").asText().split(":")[1];

    JsonNode ok = records.get(0);
    assertThat(ok.get("seq").asLong()).isEqualTo(1);
    assertThat(ok.get("time").asText()).isEqualTo("2026-12-07T10:00:05Z");
    assertThat(ok.get("type").asText()).isEqualTo("call");
    assertThat(ok.get("prev").asText()).isEqualTo(AuditChain.GENESIS);
    assertThat(ok.get("identity").asText()).isEqualTo("alice");
    assertThat(ok.get("team").asText()).isEqualTo("research");
    assertThat(ok.get("route").asText()).isEqualTo("default/all");
    assertThat(ok.get("backend").asText()).isEqualTo("default/fake");
    assertThat(ok.get("host").asText()).isEqualTo(host);
    assertThat(ok.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(ok.get("status").asInt()).isEqualTo(200);
    assertThat(ok.has("errorCode")).isFalse();
    assertThat(ok.get("policy")).isEqualTo(JSON.readTree("{\"decision\":\"allowed\"}"));
    assertThat(ok.get("tokens")).isEqualTo(JSON.readTree("{\"input\":11,\"output\":7,\"total\":18}"));
    assertThat(ok.get("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(ok.get("attempts")).isEqualTo(JSON.readTree(
        "[{\"backend\":\"default/fake\",\"host\":\"" + host + "\",\"status\":200}]"));
    assertThat(ok.get("requestSha256").asText())
        .isEqualTo(AuditChain.hash(sentUpstream.getBytes(StandardCharsets.UTF_8)));

    JsonNode refused = records.get(1);
    assertThat(refused.get("status").asInt()).isEqualTo(401);
    assertThat(refused.get("errorCode").asText()).isEqualTo("invalid_api_key");
    assertThat(refused.get("policy")).isEqualTo(JSON.readTree("{\"decision\":\"denied\",\"code\":\"invalid_api_key\"}"));
    assertThat(refused.has("identity")).isFalse();
    assertThat(refused.has("host")).isFalse();
    assertThat(refused.get("attempts")).isEmpty();
    assertThat(refused.get("model").asText()).isEqualTo("gpt-4o-mini");

    JsonNode failed = records.get(2);
    assertThat(failed.get("identity").asText()).isEqualTo("alice");
    assertThat(failed.get("attempts").get(0).get("status").asInt()).isEqualTo(503);
    assertThat(failed.get("prev").asText()).isEqualTo(AuditChain.hash(Files.readAllLines(file).get(1).getBytes(StandardCharsets.UTF_8)));

    Result verified = aigis("audit", "verify", file.toString());
    assertThat(verified.out()).isEqualTo("ok: 3 records\n");
    assertThat(verified.exit()).isZero();

    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(0, lines.get(0).replace("\"status\":200", "\"status\":201"));
    Files.write(file, lines);
    Result tampered = aigis("audit", "verify", file.toString());
    assertThat(tampered.out())
        .isEqualTo(file + ":1: record seq 1: edited: its hash does not match the prev of the record after it\n");
    assertThat(tampered.exit()).isEqualTo(1);
  }

  @Test
  void recordsTheRetryAndFailoverPath() throws Exception {
    Path file = dir.resolve("failover.jsonl");
    try (var primary = FakeOpenAiUpstream.start(); var secondary = FakeOpenAiUpstream.start()) {
      primary.setDefault(dev.aigis.testkit.Behavior.ok().withStatus(503));
      String yaml = """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw}
          spec:
            gatewayClassName: aigis
            listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
          ---
          apiVersion: aigis.dev/v1alpha1
          kind: AIBackend
          metadata: {name: primary}
          spec: {schema: OpenAI, endpoint: {host: 127.0.0.1, port: %d}}
          ---
          apiVersion: aigis.dev/v1alpha1
          kind: AIBackend
          metadata: {name: secondary}
          spec: {schema: OpenAI, endpoint: {host: 127.0.0.1, port: %d}}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: all}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - retry: {codes: [503], attempts: 2, backoff: 1ms}
              backendRefs:
              - {group: aigis.dev, kind: AIBackend, name: primary, priority: 0}
              - {group: aigis.dev, kind: AIBackend, name: secondary, priority: 1}
          """.formatted(primary.port(), secondary.port());
      try (AuditLog audit = AuditLog.builder(file).clock(InstantSource.fixed(NOW)).build();
          var gateway = GatewayFixture.start(yaml, ServerOptions.defaults().withAdminPort(-1).withTrafficHost("127.0.0.1"),
              Map.of(), InstantSource.fixed(NOW), audit)) {
        // No x-fake-behavior: each upstream answers with its own default (the primary always 503).
        var request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
        assertThat(gateway.send(request).statusCode()).isEqualTo(200);
        audit.flush();
      }
      JsonNode record = JSON.readTree(Files.readAllLines(file).getFirst());
      assertThat(record.get("backend").asText()).isEqualTo("default/secondary");
      assertThat(record.get("attempts")).isEqualTo(JSON.readTree("[{\"backend\":\"default/primary\",\"host\":\"127.0.0.1:"
          + primary.port() + "\",\"status\":503},{\"backend\":\"default/secondary\",\"host\":\"127.0.0.1:"
          + secondary.port() + "\",\"status\":200}]"));
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "edit   | :3: record seq 3: edited: its hash does not match the prev of the record after it",
      "delete | :3: record seq 4: record 3 is missing (removed)",
      "insert | :5: record seq 2: inserted: the record after it chains to seq 4",
      "swap   | :3: record seq 4: out of order: it comes before seq 3 (records were swapped)"})
  void verifyReportsEachTampering(String change, String problem) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog audit = AuditLog.builder(file).clock(InstantSource.fixed(NOW)).build()) {
      for (int i = 1; i <= 6; i++) {
        audit.submit(new dev.aigis.server.audit.AuditRecord("req-" + i, "alice", "research", "default/all",
            "default/fake", "127.0.0.1:9000", "gpt-4o-mini", 200, null, null, null, 3, null, List.of(), null, null));
      }
    }
    assertThat(aigis("audit", "verify", file.toString())).isEqualTo(new Result(0, "ok: 6 records\n"));
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    switch (change) {
      case "edit" -> lines.set(2, lines.get(2).replace("req-3", "req-x"));
      case "delete" -> lines.remove(2);
      case "insert" -> lines.add(4, lines.get(1));
      default -> lines.add(3, lines.remove(2));
    }
    Files.write(file, lines);
    assertThat(aigis("audit", "verify", file.toString())).isEqualTo(new Result(1, file + problem + "\n"));
  }

  @Test
  void verifyNamesAMissingFile() {
    Result result = aigis("audit", "verify", dir.resolve("nope.jsonl").toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEqualTo(dir.resolve("nope.jsonl") + ": no such file\n");
  }
}
