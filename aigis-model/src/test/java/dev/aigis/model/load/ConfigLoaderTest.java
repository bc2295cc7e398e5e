package dev.aigis.model.load;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.AIBackend;
import dev.aigis.model.ConfigError;
import dev.aigis.model.Secret;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structural errors: each names file, line, resource and field path. */
class ConfigLoaderTest {

  @Test
  void yamlSyntaxErrorNamesFileAndLine() {
    assertThat(errors("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: s
        stringData: {a: [b
        """))
        .containsExactly("bad.yaml:6: YAML syntax error: expected ',' or ']', but got <stream end>");
  }

  @Test
  void complexKeysAreASyntaxError() {
    assertThat(errors("a: b\n? [x, y]\n: c\n")).containsExactly("bad.yaml:2: YAML syntax error: mapping keys must be plain scalars");
  }

  @Test
  void emptyDocumentsAreIgnored() {
    ConfigLoader.LoadResult result = ConfigLoader.loadText("a.yaml", "---\n---\n# nothing\n" + BASE + "---\n");
    assertThat(result.errors()).isEmpty();
    assertThat(result.resources()).extracting(r -> r.displayName()).containsExactly("Gateway/gw", "AIBackend/echo");
    assertThat(result.resources().getFirst().source().line()).isEqualTo(5);
  }

  @Test
  void unknownFieldIsNamedByPath() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: edge
        spec:
          gatewayClassName: aigis
          listeners:
          - name: http
            port: 80
            protocl: HTTP
        """))
        .containsExactly(
            "bad.yaml:10: Gateway/edge: spec.listeners[0].protocl: unknown field",
            "bad.yaml:8: Gateway/edge: spec.listeners[0].protocol: required field is missing");
  }

  @Test
  void unknownKindAndWrongApiVersion() {
    assertThat(errors("""
        apiVersion: v1
        kind: Deployment
        metadata:
          name: x
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: HTTPRoute
        metadata:
          name: chat
        spec: {}
        """ + BASE))
        .containsExactly(
            "bad.yaml:2: Deployment/x: kind: unknown kind Deployment (expected Gateway, HTTPRoute, AIBackend, PayloadProcessor,"
                + " AccessPolicy, RateLimitPolicy, PriceCatalog, Secret, XBackend, ConfigMap, EgressPolicy or KnowledgeBase)",
            "bad.yaml:6: HTTPRoute/chat: apiVersion: HTTPRoute must have apiVersion gateway.networking.k8s.io/v1,"
                + " not gateway.networking.k8s.io/v1beta1");
  }

  @Test
  void wrongTypesAndOutOfRangeIntegers() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: edge
          labels: {tier: 1}
        spec:
          gatewayClassName: [aigis]
          listeners:
          - name: http
            port: "80"
            protocol: HTTP
          - name: big
            port: 99999999999
            protocol: TCP
        """))
        .containsExactly(
            "bad.yaml:5: Gateway/edge: metadata.labels.tier: expected a string, got a number",
            "bad.yaml:7: Gateway/edge: spec.gatewayClassName: expected a string, got a list",
            "bad.yaml:10: Gateway/edge: spec.listeners[0].port: expected an integer, got a string",
            "bad.yaml:13: Gateway/edge: spec.listeners[1].port: integer 99999999999 is out of range",
            "bad.yaml:14: Gateway/edge: spec.listeners[1].protocol: must be one of HTTP, HTTPS (got \"TCP\")");
  }

  @Test
  void metadataNameRequiredAndValid() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          namespace: prod
        spec: {schema: OpenAI, endpoint: {builtin: Echo}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: My_Backend
          creationTimestamp: yesterday
        spec: {schema: OpenAI, endpoint: {builtin: Echo}}
        """))
        .containsExactly(
            "bad.yaml:3: metadata.name: required field is missing",
            "bad.yaml:10: AIBackend/My_Backend: metadata.name: invalid name \"My_Backend\": must be lowercase letters,"
                + " digits, '-' and '.', starting and ending with a letter or digit",
            "bad.yaml:11: AIBackend/My_Backend: metadata.creationTimestamp: invalid timestamp \"yesterday\":"
                + " expected RFC 3339 such as 2025-01-31T12:00:00Z");
  }

  @Test
  void duplicateKeyIsReportedOnTheRepeat() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: b
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
          schema: OpenAI
        """))
        .containsExactly("bad.yaml:8: AIBackend/b: spec.schema: field is set more than once");
  }

  @Test
  void missingEndpoint() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: openai
        spec:
          schema: OpenAI
        """))
        .containsExactly("bad.yaml:5: AIBackend/openai: spec.endpoint: required field is missing");
  }

  @Test
  void endpointWithBothUrlAndBuiltin() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: openai
        spec:
          schema: OpenAI
          endpoint:
            url: https://api.openai.com/v1
            builtin: Echo
        """))
        .containsExactly(
            "bad.yaml:7: AIBackend/openai: spec.endpoint: set exactly one of url, host (with port and tls) or builtin");
  }

  @Test
  void badUrlsAreReportedWithoutEchoingThem() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: a}
        spec: {schema: OpenAI, endpoint: {url: "ftp://example.com"}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: b}
        spec:
          schema: OpenAI
          endpoint:
            url: "https://user:hunter2@example.com/v1"
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: c}
        spec: {schema: Bedrock, endpoint: {host: example.com, port: 0}}
        """))
        .containsExactly(
            "bad.yaml:4: AIBackend/a: spec.endpoint.url: URL scheme must be http or https",
            "bad.yaml:12: AIBackend/b: spec.endpoint.url: URL must not have user info, a query or a fragment;"
                + " put credentials in spec.credentials",
            "bad.yaml:17: AIBackend/c: spec.schema: must be one of OpenAI, AzureOpenAI, Anthropic, AWSBedrock, Gemini, GCPVertexAI (got \"Bedrock\")",
            "bad.yaml:17: AIBackend/c: spec.endpoint.port: port 0 is out of range 1..65535");
  }

  @Test
  void badDuration() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: openai
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
          timeouts:
            connect: 5 seconds
        """))
        .containsExactly("bad.yaml:9: AIBackend/openai: spec.timeouts.connect: invalid duration \"5 seconds\":"
            + " expected a Gateway API duration such as 10s, 500ms or 1m30s");
  }

  @Test
  void credentialsNeedExactlyOneSource() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: openai
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
          credentials:
            env: OPENAI_API_KEY
            secretRef: {name: s, key: k}
        """))
        .containsExactly("bad.yaml:8: AIBackend/openai: spec.credentials: set exactly one of secretRef or env");
  }

  @Test
  void unsupportedAndMalformedFilters() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: chat
        spec:
          rules:
          - filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: z}}
            - type: RequestHeaderModifier
              urlRewrite: {hostname: a.example}
            - type: URLRewrite
              urlRewrite:
                path: {type: ReplaceFullPath, replacePrefixMatch: /x}
        """))
        .containsExactly(
            "bad.yaml:8: HTTPRoute/chat: spec.rules[0].filters[0].type: filter type RequestMirror is not supported",
            "bad.yaml:11: HTTPRoute/chat: spec.rules[0].filters[1].urlRewrite: must not be set when type is RequestHeaderModifier",
            "bad.yaml:10: HTTPRoute/chat: spec.rules[0].filters[1].requestHeaderModifier: required field is missing",
            "bad.yaml:14: HTTPRoute/chat: spec.rules[0].filters[2].urlRewrite.path.replacePrefixMatch:"
                + " must not be set when type is ReplaceFullPath",
            "bad.yaml:14: HTTPRoute/chat: spec.rules[0].filters[2].urlRewrite.path.replaceFullPath: required field is missing");
  }

  @Test
  void headerMatchTypeCannotBePathPrefix() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: chat
        spec:
          rules:
          - matches:
            - headers:
              - type: PathPrefix
                name: x-model
                value: gpt
        """))
        .containsExactly("bad.yaml:9: HTTPRoute/chat: spec.rules[0].matches[0].headers[0].type:"
            + " must be one of Exact, RegularExpression (got \"PathPrefix\")");
  }

  @Test
  void secretDataIsDecodedAndBadBase64NamesTheKey() {
    ConfigLoader.LoadResult good = ConfigLoader.loadText("s.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        data:
          apiKey: c2stZnJvbS1kYXRh
          tls.crt: Y2VydA==
        stringData:
          apiKey: sk-from-stringData
        """);
    assertThat(good.errors()).isEmpty();
    Secret secret = (Secret) good.resources().getFirst();
    assertThat(new String(secret.data().get("apiKey"), StandardCharsets.UTF_8)).isEqualTo("sk-from-stringData");
    assertThat(new String(secret.data().get("tls.crt"), StandardCharsets.UTF_8)).isEqualTo("cert");

    assertThat(errors("""
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        data:
          tls.key: not*base64!
        """))
        .containsExactly("bad.yaml:5: Secret/s: data[tls.key]: invalid base64");
  }

  @Test
  void documentThatIsNotAMapping() {
    assertThat(errors("- just\n- a list\n"))
        .containsExactly("bad.yaml:1: a document must be a mapping with apiVersion, kind, metadata and spec, got a list");
  }

  @Test
  void unreadableFileIsNamed(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, BASE);
    Path missing = dir.resolve("missing.yaml");
    ConfigLoader.LoadResult result = ConfigLoader.load(List.of(good, missing));
    assertThat(result.errors()).extracting(ConfigError::format)
        .containsExactly(missing + ": cannot read file: no such file");
    assertThat(result.resources()).hasSize(2);
    assertThat(result.resources().getFirst().source().file()).isEqualTo(good.toString());
  }

  @Test
  void endpointFormsAreParsed() {
    ConfigLoader.LoadResult result = ConfigLoader.loadText("b.yaml", """
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: a, namespace: ai}
        spec:
          schema: OpenAI
          endpoint: {url: "https://Example.com:8443/openai/v1/"}
          credentials: {secretRef: {name: keys, key: openai}}
          forwardClientAuthorization: true
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: b}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, tls: true}
          credentials: {env: OPENAI_API_KEY}
        """);
    assertThat(result.errors()).isEmpty();
    AIBackend a = (AIBackend) result.resources().get(0);
    AIBackend b = (AIBackend) result.resources().get(1);
    assertThat(a.endpoint()).isEqualTo(new BackendEndpoint.Url(true, "Example.com", 8443, "/openai/v1"));
    assertThat(a.credentials()).isEqualTo(new Credentials.SecretKeyRef("keys", null, "openai"));
    assertThat(a.forwardClientAuthorization()).isTrue();
    assertThat(a.metadata().qualifiedName()).isEqualTo("ai/a");
    assertThat(b.endpoint()).isEqualTo(new BackendEndpoint.Url(true, "127.0.0.1", 443, ""));
    assertThat(b.credentials()).isEqualTo(new Credentials.EnvVar("OPENAI_API_KEY"));
    assertThat(b.forwardClientAuthorization()).isFalse();
  }
}
