package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.app.GatewayFixture;
import dev.aigis.core.json.Json;
import dev.aigis.testkit.FakeBedrockAgentRuntime;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.TestServiceAccount;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/rerank} (Cohere's shape) through the gateway: passed through natively to a
 * Cohere-compatible server (OpenAI schema), answered by the built-in echo model, refused in the
 * client's format where the backend has no ranking API.
 */
class RerankEndToEndTest {

  static FakeOpenAiUpstream cohereCompatible;
  static FakeBedrockAgentRuntime bedrock;
  static FakeGeminiUpstream discoveryEngine;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    cohereCompatible = FakeOpenAiUpstream.start();
    bedrock = FakeBedrockAgentRuntime.start("AKIAFAKERERANK", "rerank/secret", null, "us-west-2");
    TestServiceAccount account = TestServiceAccount.generate();
    discoveryEngine = FakeGeminiUpstream.startVertex(account);
    String keyJson = account.keyJson(discoveryEngine.tokenUrl()).replace("\\", "\\\\").replace("\"", "\\\"");
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
        stringData: {tei: sk-tei, anthropic: sk-ant, sa.json: "%3$s"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAFAKERERANK, secretAccessKey: rerank/secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock-rerank}
        spec:
          schema: AWSBedrock
          endpoint: {url: "http://127.0.0.1:%1$d"}
          aws: {region: us-west-2}
          credentials: {secretRef: {name: aws}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: tei}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %2$d}
          credentials: {secretRef: {name: keys, key: tei}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: vertex-ranking}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "%4$s"}
          vertex: {project: my-project, location: us-central1}
          credentials: {secretRef: {name: keys, key: sa.json}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: echo}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: claude}
        spec:
          schema: Anthropic
          endpoint: {url: "http://127.0.0.1:9"}
          credentials: {secretRef: {name: keys, key: anthropic}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: rerank}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: bge-reranker-v2-m3}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: tei}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: cohere.rerank-v3-5:0}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock-rerank}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: semantic-ranker-default@latest}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: vertex-ranking}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet-4-5}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: claude}]
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """.formatted(bedrock.port(), cohereCompatible.port(), keyJson, discoveryEngine.baseUrl()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cohereCompatible.close();
    bedrock.close();
    discoveryEngine.close();
  }

  @Test
  void aCohereCompatibleServerGetsTheRequestUntouchedWithTheBackendsKey() {
    String body = "{\"model\":\"bge-reranker-v2-m3\",\"query\":\"q\",\"documents\":[\"a\",\"b\"],\"top_n\":1,"
        + "\"max_tokens_per_doc\":512}";

    HttpResponse<String> response = gateway.post("/v1/rerank", body);

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest seen = cohereCompatible.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/rerank");
    assertThat(seen.bodyText()).isEqualTo(body);
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-tei");
  }

  @Test
  void bedrocksRerankApiGetsASignedRequestAndItsScoresComeBackInCoheresShape() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/rerank", """
        {"model": "cohere.rerank-v3-5:0", "query": "capital of France", "top_n": 2,
         "documents": ["Berlin is a city", "Paris is the capital of France", "the capital of Spain"]}""");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = Json.MAPPER.readTree(response.body());
    assertThat(answer.get("results").toString()).isEqualTo(
        "[{\"index\":1,\"relevance_score\":1.0},{\"index\":2,\"relevance_score\":0.6666666666666666}]");
    assertThat(answer.get("id").asText()).isNotBlank();
    RecordedRequest seen = bedrock.requests().getLast();
    assertThat(seen.path()).isEqualTo("/rerank");
    assertThat(Json.MAPPER.readTree(seen.bodyText())
        .at("/rerankingConfiguration/bedrockRerankingConfiguration/modelConfiguration/modelArn").asText())
        .isEqualTo("arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0");
  }

  @Test
  void vertexAisRankingApiGetsTheProjectsRankingConfigWithTheServiceAccountsToken() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/rerank", """
        {"model": "semantic-ranker-default@latest", "query": "capital of France", "top_n": 1, "return_documents": true,
         "documents": ["Berlin is a city", {"text": "Paris is the capital of France"}]}""");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(response.body()).get("results").toString()).isEqualTo(
        "[{\"index\":1,\"relevance_score\":1.0,\"document\":{\"text\":\"Paris is the capital of France\"}}]");
    RecordedRequest seen = discoveryEngine.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/projects/my-project/locations/global/rankingConfigs/default_ranking_config:rank");
    assertThat(seen.header("authorization")).startsWith("Bearer ");
  }

  @Test
  void theEchoModelRanksByTheQuerysWordsWithTheDocumentsWhenAsked() throws Exception {
    HttpResponse<String> response = gateway.post("/v2/rerank", """
        {"model": "any-reranker", "query": "capital of France", "top_n": 2, "return_documents": true,
         "documents": ["Berlin is a city", "Paris is the capital of France", "the capital of Spain"]}""");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = Json.MAPPER.readTree(response.body());
    assertThat(answer.get("results").toString()).isEqualTo("[{\"index\":1,\"relevance_score\":1.0,"
        + "\"document\":{\"text\":\"Paris is the capital of France\"}},{\"index\":2,\"relevance_score\":"
        + "0.6666666666666666,\"document\":{\"text\":\"the capital of Spain\"}}]");
  }

  @Test
  void aBackendWithoutARankingApiIsA400InOpenAisFormat() {
    HttpResponse<String> response = gateway.post("/v1/rerank",
        "{\"model\":\"claude-sonnet-4-5\",\"query\":\"q\",\"documents\":[\"a\"]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"/v1/rerank is not available on Anthropic "
        + "backends\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request\"}}");
  }

  @Test
  void anInvalidRequestIsA400NamingTheField() {
    HttpResponse<String> response = gateway.post("/v1/rerank", "{\"model\":\"any\",\"query\":\"q\",\"documents\":[]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"'documents' must be a non-empty array\","
        + "\"type\":\"invalid_request_error\",\"param\":\"documents\",\"code\":\"invalid_request\"}}");
  }
}
