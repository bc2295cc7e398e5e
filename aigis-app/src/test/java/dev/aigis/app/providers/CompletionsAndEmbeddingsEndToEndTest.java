package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeAzureOpenAiUpstream;
import dev.aigis.testkit.FakeBedrockUpstream;
import dev.aigis.testkit.FakeEmbeddings;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.RecordedRequest;
import dev.aigis.testkit.TestServiceAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI SDK's legacy completions (to an Anthropic backend) and embeddings (to Azure
 * OpenAI, Gemini, Vertex AI and Bedrock Titan backends) through the gateway; the fakes check each
 * provider's wire rules (keys, signatures, body shapes).
 */
class CompletionsAndEmbeddingsEndToEndTest {

  static final String TITAN = "amazon.titan-embed-text-v2:0";

  static FakeAnthropicUpstream anthropic;
  static FakeAzureOpenAiUpstream azure;
  static FakeGeminiUpstream gemini;
  static FakeGeminiUpstream vertex;
  static FakeBedrockUpstream bedrock;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicUpstream.start("sk-ant-upstream");
    azure = FakeAzureOpenAiUpstream.start("azure-secret-key", Map.of("emb-prod", "text-embedding-3-small"));
    gemini = FakeGeminiUpstream.startGemini("AIza-upstream");
    TestServiceAccount account = TestServiceAccount.generate();
    vertex = FakeGeminiUpstream.startVertex(account);
    bedrock = FakeBedrockUpstream.start("AKIAFAKEBEDROCK", "fake/secret+key", "fake-session-token", "eu-west-3");
    String keyJson = account.keyJson(vertex.tokenUrl()).replace("\\", "\\\\").replace("\"", "\\\"");
    gateway = GatewayFixture.start("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData:
          anthropic: sk-ant-upstream
          azure: azure-secret-key
          gemini: AIza-upstream
          sa.json: "%1$s"
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAFAKEBEDROCK, secretAccessKey: fake/secret+key, sessionToken: fake-session-token}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic}
        spec:
          schema: Anthropic
          endpoint: {url: "%2$s"}
          credentials: {secretRef: {name: keys, key: anthropic}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: azure}
        spec:
          schema: AzureOpenAI
          apiVersion: "2024-10-21"
          endpoint: {url: "%3$s"}
          credentials: {secretRef: {name: keys, key: azure}}
          modelNameOverride: emb-prod
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: gemini}
        spec:
          schema: Gemini
          endpoint: {url: "%4$s"}
          credentials: {secretRef: {name: keys, key: gemini}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: vertex}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "%5$s"}
          vertex: {project: my-project, location: us-central1}
          credentials: {secretRef: {name: keys, key: sa.json}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock}
        spec:
          schema: AWSBedrock
          endpoint: {url: "%6$s"}
          aws: {region: eu-west-3}
          credentials: {secretRef: {name: aws}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet-4-5}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: text-embedding-3-small}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: azure}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: text-embedding-004}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: gemini}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: text-embedding-005}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: vertex}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: "%7$s"}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock}]
        """.formatted(keyJson, anthropic.baseUrl(), azure.baseUrl(), gemini.baseUrl(), vertex.baseUrl(),
        bedrock.baseUrl(), TITAN));
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
    anthropic.close();
    azure.close();
    gemini.close();
    vertex.close();
    bedrock.close();
  }

  @Test
  void legacyCompletionToAnthropic() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("Hello from Claude").withUsage(7, 4));
    Completion completion = client.completions().create(CompletionCreateParams.builder()
        .model("claude-sonnet-4-5").prompt("Say hello").maxTokens(32).temperature(0.5).build());

    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().getFirst().text()).isEqualTo("Hello from Claude");
    assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
    assertThat(completion._object_().toString()).contains("text_completion");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(7);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    RecordedRequest seen = anthropic.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/messages");
    assertThat(seen.json().path("messages").path(0).path("content").toString()).contains("Say hello");
    assertThat(seen.json().path("max_tokens").asInt()).isEqualTo(32);
  }

  @Test
  void streamedLegacyCompletionToAnthropic() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("one two three"));
    var text = new StringBuilder();
    var chunks = new ArrayList<Completion>();
    try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
        .model("claude-sonnet-4-5").prompt("count").maxTokens(16).build())) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        chunk.choices().forEach(c -> text.append(c.text()));
      });
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(chunks).allSatisfy(c -> assertThat(c._object_().toString()).contains("text_completion"));
    assertThat(anthropic.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void completionOptionsTheChatPivotCannotExpressAreRefused() {
    var response = gateway.post("/v1/completions",
        "{\"model\":\"claude-sonnet-4-5\",\"prompt\":\"hi\",\"echo\":true}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("'echo' is not supported on this backend");
  }

  @Test
  void embeddingsToAzure() {
    azure.reset();
    CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").inputOfArrayOfStrings(List.of("hello world", "bye")).build());

    assertVectors(answer, "hello world", "bye");
    assertThat(answer.usage().promptTokens()).isEqualTo(3);
    assertThat(answer.usage().totalTokens()).isEqualTo(3);
    RecordedRequest seen = azure.lastRequest();
    assertThat(seen.path()).isEqualTo("/openai/deployments/emb-prod/embeddings?api-version=2024-10-21");
    assertThat(seen.header("api-key")).isEqualTo("azure-secret-key");
    assertThat(seen.json().has("model")).isFalse();
  }

  @Test
  void embeddingsToGemini() {
    gemini.reset();
    CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-004").inputOfArrayOfStrings(List.of("hello world", "bye")).build());

    assertVectors(answer, "hello world", "bye");
    assertThat(answer.usage().promptTokens()).isZero(); // Google AI reports no token counts
    RecordedRequest seen = gemini.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    assertThat(seen.header("x-goog-api-key")).isEqualTo("AIza-upstream");
  }

  @Test
  void embeddingsToVertex() {
    CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-005").input("one two three").build());

    assertVectors(answer, "one two three");
    assertThat(answer.usage().promptTokens()).isEqualTo(3);
    RecordedRequest seen = vertex.lastRequest();
    assertThat(seen.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-central1/publishers/google/models/text-embedding-005:predict");
    assertThat(seen.header("authorization")).startsWith("Bearer ");
  }

  @Test
  void embeddingsToBedrockTitanOneSignedCallPerInput() {
    bedrock.reset();
    CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder()
        .model(TITAN).inputOfArrayOfStrings(List.of("hello world", "bye")).build());

    assertVectors(answer, "hello world", "bye");
    assertThat(answer.usage().promptTokens()).isEqualTo(3);
    assertThat(bedrock.requests()).hasSize(2);
    assertThat(bedrock.requests()).allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
      assertThat(r.header("authorization")).startsWith("AWS4-HMAC-SHA256");
    });
    assertThat(bedrock.requests().get(0).json().path("inputText").asText()).isEqualTo("hello world");
    assertThat(bedrock.requests().get(1).json().path("inputText").asText()).isEqualTo("bye");
  }

  @Test
  void base64EmbeddingsAreLittleEndianFloat32() {
    var response = gateway.post("/v1/embeddings",
        "{\"model\":\"" + TITAN + "\",\"input\":\"hi\",\"encoding_format\":\"base64\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    // [2.0, 0.5, -0.25] as little-endian float32
    assertThat(response.body()).contains("\"embedding\":\"AAAAQAAAAD8AAIC+\"");
  }

  @Test
  void embeddingsToAnthropicAreRefused() {
    var response = gateway.post("/v1/embeddings", "{\"model\":\"claude-sonnet-4-5\",\"input\":\"hi\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"/v1/embeddings is not available on Anthropic backends\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request\"}}");
  }

  static void assertVectors(CreateEmbeddingResponse answer, String... texts) {
    assertThat(answer.data()).hasSize(texts.length);
    for (int i = 0; i < texts.length; i++) {
      assertThat(answer.data().get(i).index()).isEqualTo(i);
      assertThat(answer.data().get(i).embedding()).isEqualTo(FakeEmbeddings.vector(texts[i]));
    }
  }
}
