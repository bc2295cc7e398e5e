package dev.aigis.model.load;

import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.AIBackend;
import dev.aigis.model.backend.Credentials;
import org.junit.jupiter.api.Test;

/** {@code spec.credentials.header} and {@code prefix}: read as written, refused with file, line and field when unusable. */
class CredentialHeaderConfigTest {

  private static String backend(String schema, String credentialsExtra) {
    return """
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: custom
        spec:
          schema: %s
          endpoint: {url: "https://llm.example.com"}
          credentials:
            env: OPENAI_API_KEY
        %s""".formatted(schema, credentialsExtra.indent(4));
  }

  @Test
  void headerAndPrefixAreRead() {
    var result = ConfigLoader.loadText("ok.yaml", backend("OpenAI", "header: X-My-Key\nprefix: \"Key \""));

    assertThat(result.errors()).isEmpty();
    AIBackend backend = (AIBackend) result.resources().getFirst();
    assertThat(backend.credentials()).isEqualTo(
        new Credentials.EnvVar("OPENAI_API_KEY", new Credentials.Header("X-My-Key", "Key ")));
  }

  @Test
  void aPrefixAloneKeepsTheSchemasHeader() {
    var result = ConfigLoader.loadText("ok.yaml", backend("Anthropic", "prefix: \"Token \""));

    assertThat(result.errors()).isEmpty();
    assertThat(((AIBackend) result.resources().getFirst()).credentials().header())
        .isEqualTo(new Credentials.Header(null, "Token "));
  }

  @Test
  void aHeaderNameThatIsNotATokenIsRefused() {
    assertThat(errors(backend("OpenAI", "header: \"X My Key\"")))
        .containsExactly("bad.yaml:10: AIBackend/custom: spec.credentials.header: \"X My Key\" is not a valid HTTP header"
            + " name (RFC 9110 token)");
    assertThat(errors(backend("OpenAI", "header: \"X-Key:\"")))
        .containsExactly("bad.yaml:10: AIBackend/custom: spec.credentials.header: \"X-Key:\" is not a valid HTTP header"
            + " name (RFC 9110 token)");
  }

  @Test
  void hopByHopFramingAndHostHeadersAreRefused() {
    for (String header : new String[] {"Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
        "TE", "Upgrade"}) {
      assertThat(errors(backend("OpenAI", "header: " + header)))
          .containsExactly("bad.yaml:10: AIBackend/custom: spec.credentials.header: \"" + header
              + "\" is set by the gateway (hop-by-hop, framing or its own); choose another header for the credential");
    }
  }

  @Test
  void aPrefixWithAControlCharacterIsRefused() {
    assertThat(errors(backend("OpenAI", "prefix: \"Key\\r\\nX-Evil: 1 \"")))
        .containsExactly("bad.yaml:10: AIBackend/custom: spec.credentials.prefix: must not contain control characters");
  }

  @Test
  void schemasThatSignOrExchangeTheirCredentialTakeNoHeader() {
    assertThat(errors(backend("GCPVertexAI", "header: X-My-Key")))
        .contains("bad.yaml:10: AIBackend/custom: spec.credentials.header: not used by schema GCPVertexAI, which"
            + " exchanges its credential");
  }
}
