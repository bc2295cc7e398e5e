package dev.aigis.app.rag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigis.app.GatewayFixture;
import dev.aigis.server.ServerOptions;
import dev.aigis.server.audit.AuditLog;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval end to end: a real gateway with a KnowledgeBase of Markdown files, indexed on the real
 * embedding model when the configuration loads, in front of fake OpenAI and Anthropic upstreams.
 * The upstream must see the right chunk as a system message; the client sees which sources were
 * used; the audit record lists them.
 */
class RagEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ANTHROPIC_KEY = "sk-ant-upstream";
  static final String ROTATE = "To rotate an API key, add the new key to the Secret, wait for the gateway to reload"
      + " (about two seconds), then delete the old key. Clients keep working during the rotation.";

  @TempDir
  static Path dir;
  static FakeOpenAiUpstream openai;
  static FakeAnthropicUpstream anthropic;
  static GatewayFixture gateway;
  static AuditLog audit;
  static Path auditFile;

  static void write(String name, String text) throws IOException {
    Files.createDirectories(dir.resolve("knowledge"));
    Files.writeString(dir.resolve("knowledge").resolve(name), text);
  }

  static String config(Path knowledge) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: anthropic-key}
        stringData: {apiKey: %s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic}
        spec:
          schema: Anthropic
          endpoint: {url: "http://127.0.0.1:%d"}
          credentials: {secretRef: {name: anthropic-key, key: apiKey}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet-4-5}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: docs}
        spec:
          sources: [{path: "%s", include: ["**/*.md"]}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: rag}
        spec:
          targetRef: {kind: Gateway, name: gw}
          phase: PostRouting
          processors:
          - name: context
            type: Retrieval
            timeout: 5s
            retrieval: {knowledgeBase: docs, topK: 2, minScore: 0.35}
        """.formatted(openai.port(), ANTHROPIC_KEY, anthropic.port(), knowledge);
  }

  @BeforeAll
  static void start() throws IOException {
    write("keys.md", "# API keys\n\n## Creating a key\n\nKeys are created with `aigis keys create`.\n\n## Rotating a key\n\n"
        + ROTATE + "\n");
    write("ports.md", "# Ports\n\nThe gateway serves traffic on port 8080 and the admin endpoints (metrics, health) on port 9901.\n");
    write("billing.md", "# Billing\n\nInvoices are issued on the first day of each month and paid by bank transfer.\n");
    openai = FakeOpenAiUpstream.start();
    anthropic = FakeAnthropicUpstream.start(ANTHROPIC_KEY);
    auditFile = dir.resolve("audit.jsonl");
    audit = AuditLog.builder(auditFile).build();
    gateway = GatewayFixture.start(config(dir.resolve("knowledge")),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of(), InstantSource.system(), audit);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    audit.close();
    anthropic.close();
    openai.close();
  }

  @AfterEach
  void reset() {
    openai.reset();
  }

  @Test
  void theOpenAiSdksQuestionReachesTheUpstreamWithTheRightChunkAsASystemMessage() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("unused").build();

    HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(
        ChatCompletionCreateParams.builder().model("gpt-4o-mini")
            .addSystemMessage("You are the Aigis support bot.")
            .addUserMessage("How can I rotate my API key without downtime?").build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.parse().choices()).isNotEmpty();
    assertThat(response.headers().values("x-aigis-rag-sources")).singleElement().satisfies(value ->
        assertThat(value).startsWith("keys.md#2"));
    JsonNode messages = openai.lastRequest().json().get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).get("content").asText()).isEqualTo("You are the Aigis support bot.");
    assertThat(messages.get(1).get("role").asText()).isEqualTo("system");
    assertThat(messages.get(1).get("content").asText()).startsWith("""
        Use the following context to answer. Cite sources by their [n] marker.

        [1] (source: keys.md § API keys > Rotating a key)
        """ + ROTATE);
    assertThat(messages.get(2).get("content").asText()).isEqualTo("How can I rotate my API key without downtime?");
  }

  @Test
  void anAnthropicClientsQuestionReachesTheAnthropicUpstreamInItsSystemPrompt() {
    HttpResponse<String> response = gateway.post("/v1/messages", """
        {"model":"claude-sonnet-4-5","max_tokens":64,"system":"Be brief.",
         "messages":[{"role":"user","content":"Which port do the admin endpoints listen on?"}]}
        """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-aigis-rag-sources")).hasValueSatisfying(v -> assertThat(v).startsWith("ports.md#1"));
    String system = anthropic.lastRequest().json().get("system").toString();
    assertThat(system).contains("Be brief.").contains("[1] (source: ports.md § Ports)")
        .contains("admin endpoints (metrics, health) on port 9901");
  }

  @Test
  void aQuestionTheBaseCannotAnswerGetsNoContextAndSaysNone() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a haiku about autumn leaves.\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-aigis-rag-sources")).hasValue("none");
    assertThat(openai.lastRequest().json().get("messages")).hasSize(1);
  }

  @Test
  void theAuditRecordListsTheSourcesAndTheMetricsCountTheRetrieval() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"When are invoices issued?\"}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();

    JsonNode record = null;
    for (int attempt = 0; attempt < 200 && record == null; attempt++) {
      audit.flush();
      for (String line : Files.readAllLines(auditFile)) {
        JsonNode parsed = JSON.readTree(line);
        if (requestId.equals(parsed.path("requestId").asText())) {
          record = parsed;
        }
      }
    }
    assertThat(record).isNotNull();
    assertThat(record.get("retrieval")).isEqualTo(JSON.readTree(
        "[{\"knowledgeBase\":\"default/docs\",\"sources\":[\"billing.md#1\"]}]"));
    assertThat(record.toString()).doesNotContain("Invoices are issued").doesNotContain("When are invoices");

    String metrics = gateway.admin("/metrics").body();
    assertThat(metrics).contains("aigis_knowledge_base_chunks{knowledge_base=\"default/docs\"} 4.0")
        .contains("aigis_retrieval_seconds_count{knowledge_base=\"default/docs\"}")
        .contains("aigis_retrieval_chunks_total{knowledge_base=\"default/docs\",outcome=\"injected\"}");
  }
}
