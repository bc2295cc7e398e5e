package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.backend;
import static org.assertj.core.api.Assertions.assertThat;

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
