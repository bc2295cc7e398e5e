package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.backend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.ApiSchema;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendAuthTest {

  private static Map<String, String> applied(ApiSchema schema, String credential) {
    Map<String, String> headers = new HashMap<>();
    BackendAuth.of(backend(schema)).apply(credential, headers);
    return headers;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      OpenAI      | Authorization | Bearer key-1
      AzureOpenAI | api-key       | key-1
      Anthropic   | x-api-key     | key-1
      GCPVertexAI | Authorization | Bearer key-1
      """)
  void headerStrategiesPutTheCredentialInTheSchemasHeader(ApiSchema schema, String header, String value) {
    assertThat(applied(schema, "key-1")).isEqualTo(Map.of(header, value));
    assertThat(applied(schema, null)).as("no credential, no header").isEmpty();
    assertThat(applied(schema, " ")).as("a blank credential is none").isEmpty();
  }

  private static dev.aigis.model.snapshot.ResolvedBackend custom(ApiSchema schema, String header, String prefix) {
    var credentials = new dev.aigis.model.backend.Credentials.EnvVar("KEY",
        new dev.aigis.model.backend.Credentials.Header(header, prefix));
    var backend = new dev.aigis.model.AIBackend(dev.aigis.model.ObjectMeta.named("llm"), dev.aigis.model.SourceRef.EMBEDDED,
        schema, new dev.aigis.model.backend.BackendEndpoint.Url(true, "llm.example.com", 443, ""), credentials, null, false,
        null, schema == ApiSchema.AzureOpenAI ? "2024-10-21" : null, null, null);
    return new dev.aigis.model.snapshot.ResolvedBackend(backend, "sk-test", null);
  }

  @ParameterizedTest(name = "{0} header={1} prefix={2}")
  @CsvSource(delimiter = '|', textBlock = """
      OpenAI      | X-My-Key      | 'Key '   | X-My-Key      | Key key-1
      OpenAI      | X-My-Key      |          | X-My-Key      | key-1
      OpenAI      |               | 'Token ' | Authorization | Token key-1
      OpenAI      | authorization |          | authorization | Bearer key-1
      Anthropic   | X-My-Key      |          | X-My-Key      | key-1
      Anthropic   |               | 'Key '   | x-api-key     | Key key-1
      AzureOpenAI | X-My-Key      | 'Key '   | X-My-Key      | Key key-1
      """)
  void aCustomHeaderAndPrefixReplaceTheSchemas(ApiSchema schema, String header, String prefix, String sent,
      String value) {
    Map<String, String> headers = new HashMap<>();
    BackendAuth auth = BackendAuth.of(custom(schema, header, prefix));
    auth.apply("key-1", headers);
    assertThat(headers).isEqualTo(Map.of(sent, value));
    assertThat(BackendAuth.headerOf(custom(schema, header, prefix))).isEqualTo(sent);
  }

  @Test
  void authorizeAddsTheCredentialToACopyOfTheTranslatedCall() {
    var translated = new UpstreamCall("POST", "/v1/messages", Map.of("anthropic-version", "2023-06-01"), new byte[] {1});
    UpstreamCall sent = BackendAuth.of(backend(ApiSchema.Anthropic)).authorize(translated, "sk-ant");
    assertThat(sent.headers()).containsOnly(Map.entry("anthropic-version", "2023-06-01"), Map.entry("x-api-key", "sk-ant"));
    assertThat(sent.pathAndQuery()).isEqualTo("/v1/messages");
    assertThat(sent.body()).containsExactly(1);
    assertThat(translated.headers()).doesNotContainKey("x-api-key");
    assertThat(BackendAuth.of(backend(ApiSchema.Anthropic)).authorize(translated, null)).isSameAs(translated);
  }

  @Test
  void aSignedBedrockCallIsSentAsTheTranslatorSignedIt() {
    var signed = new UpstreamCall("POST", "/model/m/converse", Map.of("authorization", "AWS4-HMAC-SHA256 ..."), new byte[0]);
    assertThat(BackendAuth.of(backend(ApiSchema.AWSBedrock)).authorize(signed, "ignored")).isSameAs(signed);
  }

  @Test
  void bedrockIsSignedByItsTranslatorNotGivenAHeader() {
    assertThat(BackendAuth.of(backend(ApiSchema.AWSBedrock))).isInstanceOf(BackendAuth.SigV4.class);
    assertThat(applied(ApiSchema.AWSBedrock, "key-1")).isEmpty();
  }

  @Test
  void onlyVertexFetchesATokenBeforeEachAttempt() {
    for (ApiSchema schema : ApiSchema.values()) {
      assertThat(BackendAuth.of(backend(schema)).fetchesToken()).as("%s", schema)
          .isEqualTo(schema == ApiSchema.GCPVertexAI);
    }
  }

  @Test
  void geminiTakesItsKeyInXGoogApiKey() {
    assertThat(applied(ApiSchema.Gemini, "key-1")).isEqualTo(Map.of("x-goog-api-key", "key-1"));
  }
}
