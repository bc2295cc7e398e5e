package dev.aigis.model.snapshot;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigException;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.gateway.Listener;
import dev.aigis.model.load.ConfigLoader;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotCompilerTest {

  private static final String GOOD = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: edge
        namespace: ai
      spec:
        gatewayClassName: aigis
        listeners:
        - name: http
          port: 8080
          protocol: HTTP
        - name: https
          port: 8443
          protocol: HTTPS
          hostname: "*.example.com"
          tls:
            mode: Terminate
            certificateRefs:
            - name: edge-cert
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: edge-cert, namespace: ai}
      type: kubernetes.io/tls
      data:
        tls.key: %s
      stringData:
        tls.crt: "%s"
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: openai, namespace: ai}
      stringData:
        apiKey: "  sk-secret-from-secret\\n"
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: openai, namespace: ai}
      spec:
        schema: OpenAI
        endpoint: {url: "https://api.openai.com/v1"}
        credentials: {secretRef: {name: openai, key: apiKey}}
        modelNameOverride: gpt-4o-mini
        timeouts: {connect: 2s, idle: 1m}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: local, namespace: ai}
      spec:
        schema: OpenAI
        endpoint: {host: localhost, port: 8000}
        credentials: {env: OPENAI_API_KEY}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: chat, namespace: ai, creationTimestamp: "2025-01-31T12:00:00+01:00"}
      spec:
        parentRefs: [{name: edge, sectionName: https}]
        hostnames: [api.example.com]
        rules:
        - matches:
          - path: {type: PathPrefix, value: /openai}
            headers: [{name: x-tenant, value: "team-[a-z]+", type: RegularExpression}]
            method: POST
          filters:
          - type: URLRewrite
            urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v1}}
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: x-gateway, value: aigis}], remove: [x-debug]}
          backendRefs:
          - {group: aigis.dev, kind: AIBackend, name: openai, weight: 3}
          - {group: aigis.dev, kind: AIBackend, name: local}
          timeouts: {request: 5m, backendRequest: 1m}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: fallback, namespace: ai}
      spec:
        parentRefs: [{name: edge, port: 8080}]
        rules:
        - backendRefs: [{group: aigis.dev, kind: AIBackend, name: local}]
      """.formatted(TestPem.PRIVATE_KEY_BASE64, TestPem.CERTIFICATE_YAML_ESCAPED);

  @Test
  void goodConfigCompilesToTheExpectedSnapshot() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("good.yaml", GOOD, ENV);

    assertThat(snapshot.listeners()).extracting(BoundListener::port).containsExactly(8080, 8443);
    assertThat(snapshot.listeners().get(0).tls()).isNull();
    BoundListener https = snapshot.listeners().get(1);
    assertThat(https.listener().protocol()).isEqualTo(Listener.Protocol.HTTPS);
    assertThat(https.listener().hostname()).isEqualTo("*.example.com");
    assertThat(new String(https.tls().certificateChainPem(), StandardCharsets.UTF_8)).isEqualTo(TestPem.CERTIFICATE);
    assertThat(new String(https.tls().privateKeyPem(), StandardCharsets.UTF_8)).isEqualTo(TestPem.PRIVATE_KEY);

    assertThat(snapshot.routes()).extracting(r -> r.metadata().name()).containsExactly("chat", "fallback");
    var rule = snapshot.routes().getFirst().rules().getFirst();
    assertThat(rule.matches()).containsExactly(new RouteMatch(
        new RouteMatch.PathMatch(RouteMatch.MatchType.PathPrefix, "/openai"),
        List.of(new RouteMatch.HeaderMatch(RouteMatch.MatchType.RegularExpression, "x-tenant", "team-[a-z]+")),
        List.of(), "POST"));
    assertThat(rule.filters()).containsExactly(
        new RouteFilter.UrlRewrite(null, new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplacePrefixMatch, "/v1")),
        new RouteFilter.RequestHeaderModifier(new RouteFilter.HeaderModifier(
            List.of(new RouteFilter.HeaderValue("x-gateway", "aigis")), List.of(), List.of("x-debug"))));
    assertThat(rule.backendRefs()).extracting(BackendRef::name, BackendRef::effectiveWeight)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("openai", 3), org.assertj.core.groups.Tuple.tuple("local", 1));
    assertThat(rule.timeouts().request()).isEqualTo(Duration.ofMinutes(5));
    assertThat(snapshot.routes().getFirst().metadata().creationTimestamp())
        .isEqualTo(java.time.Instant.parse("2025-01-31T11:00:00Z"));
    // No explicit match means Gateway API's default: PathPrefix /.
    assertThat(snapshot.routes().get(1).rules().getFirst().matches()).containsExactly(RouteMatch.DEFAULT);

    assertThat(snapshot.backends()).containsOnlyKeys("ai/openai", "ai/local");
    ResolvedBackend openai = snapshot.backends().get("ai/openai");
    assertThat(openai.apiKey()).isEqualTo("sk-secret-from-secret");
    assertThat(openai.backend().endpoint()).isEqualTo(new BackendEndpoint.Url(true, "api.openai.com", 443, "/v1"));
    assertThat(openai.backend().modelNameOverride()).isEqualTo("gpt-4o-mini");
    assertThat(openai.timeouts())
        .isEqualTo(new BackendTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(300), Duration.ofMinutes(1)));
    ResolvedBackend local = snapshot.backends().get("ai/local");
    assertThat(local.apiKey()).isEqualTo("sk-env-secret");
    assertThat(local.backend().endpoint()).isEqualTo(new BackendEndpoint.Url(false, "localhost", 8000, ""));
    assertThat(local.timeouts()).isEqualTo(BackendTimeouts.DEFAULTS);
    assertThat(snapshot.resources()).hasSize(7);
  }

  @Test
  void secretValuesNeverAppearInMessagesOrToString() {
    ConfigLoader.LoadResult loaded = ConfigLoader.loadText("good.yaml", GOOD);
    assertThat(loaded.errors()).isEmpty();
    // Break every reference so that each secret-bearing path produces an error.
    CompileResult failed = new SnapshotCompiler(name -> null).compile(loaded.resources().subList(3, 7));
    CompileResult good = new SnapshotCompiler(ENV).compile(loaded.resources());
    String everything = failed + "\n" + good + "\n" + loaded + "\n"
        + errors(GOOD.replace("tls.key: " + TestPem.PRIVATE_KEY_BASE64, "tls.key: \"sk-secret-from-secret!!\""));
    assertThat(((CompileResult.Failure) failed).errors()).extracting(dev.aigis.model.ConfigError::format).containsExactly(
        "good.yaml:42: AIBackend/openai: spec.credentials.secretRef.name: Secret ai/openai not found",
        "good.yaml:52: AIBackend/local: spec.credentials.env: environment variable OPENAI_API_KEY is not set",
        "good.yaml:58: HTTPRoute/chat: spec.parentRefs[0].name: Gateway ai/edge not found",
        "good.yaml:79: HTTPRoute/fallback: spec.parentRefs[0].name: Gateway ai/edge not found",
        "good.yaml: no Gateway with at least one listener is defined");
    assertThat(everything).contains("bad.yaml:26: Secret/edge-cert: data[tls.key]: invalid base64");
    assertThat(everything)
        .contains("Secret[ai/openai, keys=[apiKey]]", "apiKey=redacted", "TlsMaterial[redacted]")
        .doesNotContain("sk-secret-from-secret", "sk-env-secret", "BEGIN PRIVATE KEY", TestPem.PRIVATE_KEY_BASE64.substring(0, 24));
  }

  @Test
  void routeReferencesThatDoNotResolve() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: chat
        spec:
          parentRefs:
          - name: gw
            sectionName: https
          - name: other
          - {name: gw, kind: Service}
          rules:
          - backendRefs:
            - group: aigis.dev
              kind: AIBackend
              name: nope
            - name: echo
              weight: 2000000
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: HTTPRoute/chat: spec.parentRefs[0].sectionName: Gateway default/gw has no listener named \"https\"",
            "bad.yaml:9: HTTPRoute/chat: spec.parentRefs[1].name: Gateway default/other not found",
            "bad.yaml:10: HTTPRoute/chat: spec.parentRefs[2].kind: only gateway.networking.k8s.io/Gateway parents are supported",
            "bad.yaml:15: HTTPRoute/chat: spec.rules[0].backendRefs[0].name: AIBackend default/nope not found",
            "bad.yaml:17: HTTPRoute/chat: spec.rules[0].backendRefs[1].weight: weight 2000000 is out of range 0..1000000",
            "bad.yaml:16: HTTPRoute/chat: spec.rules[0].backendRefs[1].port: required for a Service backendRef");
  }

  @Test
  void parentRefByPortMustHitAListener() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw, port: 9090}]
        """ + BASE))
        .containsExactly("bad.yaml:5: HTTPRoute/chat: spec.parentRefs[0].port: Gateway default/gw has no listener on port 9090");
  }

  /**
   * Route regexes are RE2, so they run in time linear in the path: what needs backtracking
   * (back-references, look-around) is refused when the configuration loads, never run per request.
   */
  @Test
  void regexesThatNeedBacktrackingAreRefusedAtLoad() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches:
            - path: {type: RegularExpression, value: "/v1/(a)\\\\1"}
              headers:
              - {name: x-tenant, type: RegularExpression, value: "(?=team).*"}
            - path: {type: RegularExpression, value: "/(.*a){12}b"}
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: HTTPRoute/chat: spec.rules[0].matches[0].path.value: invalid regular expression \"/v1/(a)\\1\":"
                + " invalid escape sequence (RE2 syntax)",
            "bad.yaml:10: HTTPRoute/chat: spec.rules[0].matches[0].headers[0].value: invalid regular expression \"(?=team).*\":"
                + " invalid or unsupported Perl syntax (RE2 syntax)");
  }

  /** A key pasted where the variable's name belongs must not come back in the error that refuses it. */
  @Test
  void aKeyInCredentialsEnvIsRefusedWithoutBeingShown() {
    List<String> pasted = errors(backendWithEnv("sk-proj-Abc123xyz") + BASE);
    List<String> mixed = errors(backendWithEnv("AbcDef123Xyz") + BASE);

    assertThat(pasted).containsExactly("bad.yaml:7: AIBackend/b: spec.credentials.env: must name an environment"
        + " variable (letters, digits and _, not starting with a digit), not hold the key");
    assertThat(mixed).containsExactly("bad.yaml:7: AIBackend/b: spec.credentials.env: the environment variable it"
        + " names is not set (a lower- or mixed-case name is not shown, in case it is a key)");
    assertThat(String.join("\n", pasted) + String.join("\n", mixed))
        .doesNotContain("Abc123xyz").doesNotContain("AbcDef123Xyz");
  }

  private static String backendWithEnv(String env) {
    return """
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: b}
        spec:
          schema: OpenAI
          endpoint: {url: "https://api.openai.com"}
          credentials: {env: "%s"}
        """.formatted(env);
  }

  @Test
  void matchesThatCannotWork() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: chat
        spec:
          parentRefs: [{name: gw}]
          hostnames: ["api.example.com", "bad_host", "*.ok.example"]
          rules:
          - matches:
            - path: {type: RegularExpression, value: "/v1/(chat"}
              headers:
              - {name: "x model", value: a}
              - {name: x-ok, type: RegularExpression, value: "[a-"}
              queryParams:
              - {name: q, type: RegularExpression, value: "*x"}
              method: FETCH
            - path: {type: Exact, value: v1/chat}
        """ + BASE))
        .containsExactly(
            "bad.yaml:7: HTTPRoute/chat: spec.hostnames[1]: invalid hostname \"bad_host\"",
            "bad.yaml:10: HTTPRoute/chat: spec.rules[0].matches[0].path.value: invalid regular expression \"/v1/(chat\":"
                + " missing closing ) (RE2 syntax)",
            "bad.yaml:12: HTTPRoute/chat: spec.rules[0].matches[0].headers[0].name: invalid header name \"x model\"",
            "bad.yaml:13: HTTPRoute/chat: spec.rules[0].matches[0].headers[1].value: invalid regular expression \"[a-\":"
                + " missing closing ] (RE2 syntax)",
            "bad.yaml:15: HTTPRoute/chat: spec.rules[0].matches[0].queryParams[0].value: invalid regular expression \"*x\":"
                + " missing argument to repetition operator (RE2 syntax)",
            "bad.yaml:16: HTTPRoute/chat: spec.rules[0].matches[0].method: unsupported method \"FETCH\";"
                + " expected one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH",
            "bad.yaml:17: HTTPRoute/chat: spec.rules[0].matches[1].path.value: path \"v1/chat\" must start with \"/\"");
  }

  @Test
  void replacePrefixMatchNeedsPathPrefixMatches() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches:
            - path: {type: Exact, value: /v1/chat}
            filters:
            - type: URLRewrite
              urlRewrite:
                hostname: "*.nope"
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /v2
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                add: [{name: "bad:name", value: x}]
            timeouts: {request: 10s, backendRequest: 30s}
        """ + BASE))
        .containsExactly(
            "bad.yaml:12: HTTPRoute/chat: spec.rules[0].filters[0].urlRewrite.hostname: invalid hostname \"*.nope\"",
            "bad.yaml:14: HTTPRoute/chat: spec.rules[0].filters[0].urlRewrite.path.type:"
                + " ReplacePrefixMatch requires every match of the rule to be a PathPrefix match",
            "bad.yaml:18: HTTPRoute/chat: spec.rules[0].filters[1].responseHeaderModifier.add[0].name:"
                + " invalid header name \"bad:name\"",
            "bad.yaml:19: HTTPRoute/chat: spec.rules[0].timeouts.backendRequest: backendRequest 30s must not exceed request 10s");
  }

  @Test
  void secretKeyMissingAndEnvUnset() {
    assertThat(errors("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {other: x}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: a}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
          credentials:
            secretRef:
              name: keys
              key: apiKey
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: b}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
          credentials:
            secretRef: {name: gone, key: apiKey}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: c}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
          credentials:
            env: ANTHROPIC_API_KEY
          timeouts: {response: 0s}
        """ + BASE))
        .containsExactly(
            "bad.yaml:15: AIBackend/a: spec.credentials.secretRef.key: Secret default/keys has no key \"apiKey\"",
            "bad.yaml:24: AIBackend/b: spec.credentials.secretRef.name: Secret default/gone not found",
            "bad.yaml:34: AIBackend/c: spec.timeouts.response: must be positive (got 0s)",
            "bad.yaml:33: AIBackend/c: spec.credentials.env: environment variable ANTHROPIC_API_KEY is not set");
  }

  @Test
  void vertexBackendsNeedProjectLocationAndAServiceAccountKey() {
    List<String> errors = errors("""
        apiVersion: v1
        kind: Secret
        metadata: {name: sa}
        stringData:
          notJson: "-----BEGIN PRIVATE KEY----- secret-material"
          noKey: '{"client_email": "a@b.iam.gserviceaccount.com"}'
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: v1}
        spec:
          schema: GCPVertexAI
          vertex: {project: p, location: europe-west4}
          credentials: {secretRef: {name: sa, key: notJson}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: v2}
        spec:
          schema: GCPVertexAI
          vertex: {project: p, location: us-central1}
          credentials: {secretRef: {name: sa, key: noKey}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: v3}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "https://example.com"}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: g}
        spec:
          schema: Gemini
          vertex: {project: p, location: l}
        """ + BASE);
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: v0}
        spec:
          schema: GCPVertexAI
          vertex: {project: p}
        """ + BASE)).anySatisfy(e -> assertThat(e).contains("AIBackend/v0: spec.vertex.location: required"));
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: v4}
        spec:
          schema: GCPVertexAI
          vertex: {project: p, location: l, publisher: meta}
        """ + BASE)).anySatisfy(e -> assertThat(e).contains(
            "AIBackend/v4: spec.vertex.publisher: must be one of anthropic, google (got \"meta\")"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains(
        "AIBackend/v1: spec.credentials.secretRef.key: the credential is not a service account key: not valid JSON"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains(
        "AIBackend/v2: spec.credentials.secretRef.key: the credential is not a service account key:"
            + " client_email and private_key are required"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("AIBackend/v3: spec.vertex: required for schema GCPVertexAI"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("AIBackend/v3: spec.credentials: required for schema GCPVertexAI"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("AIBackend/g: spec.vertex: only for schema GCPVertexAI"));
    assertThat(errors).noneSatisfy(e -> assertThat(e).contains("secret-material"));
  }

  @Test
  void listenerProblems() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge}
        spec:
          gatewayClassName: aigis
          listeners:
          - {name: a, port: 8080, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
          - {name: a, port: 0, protocol: HTTP}
          - name: b
            port: 8443
            protocol: HTTPS
          - name: c
            port: 8444
            protocol: HTTP
            tls: {certificateRefs: [{name: cert}]}
          - name: d
            port: 8445
            protocol: HTTPS
            tls:
              certificateRefs:
              - name: half
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: half}
        stringData: {tls.crt: CERT}
        """ + BASE))
        .containsExactly(
            "bad.yaml:7: Gateway/edge: spec.listeners[0].tls.certificateRefs[0].name: Secret default/cert not found",
            "bad.yaml:8: Gateway/edge: spec.listeners[1].name: duplicate listener name \"a\"",
            "bad.yaml:8: Gateway/edge: spec.listeners[1].port: port 0 is out of range 1..65535",
            "bad.yaml:9: Gateway/edge: spec.listeners[2].tls: required for an HTTPS listener",
            "bad.yaml:15: Gateway/edge: spec.listeners[3].tls: must not be set for an HTTP listener",
            "bad.yaml:21: Gateway/edge: spec.listeners[4].tls.certificateRefs[0].name: Secret default/half has no tls.key",
            "bad.yaml:37: Gateway/gw: spec.listeners[0].protocol: port 8080 is HTTP here but HTTPS in listener \"a\""
                + " of Gateway default/edge");
  }

  @Test
  void duplicateResourcesAndMissingGateway() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: echo}
        spec: {schema: OpenAI, endpoint: {builtin: Echo}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata:
          name: echo
        spec: {schema: OpenAI, endpoint: {builtin: Echo}}
        """))
        .containsExactly(
            "bad.yaml:9: AIBackend/echo: metadata.name: duplicate AIBackend default/echo, first defined at bad.yaml:1",
            "bad.yaml: no Gateway with at least one listener is defined");
  }

  @Test
  void emptyConfigurationNamesTheMissingGateway() {
    assertThat(new SnapshotCompiler(ENV).compile(List.of()))
        .isEqualTo(new CompileResult.Failure(List.of(new dev.aigis.model.ConfigError(
            "<no resources>", 0, null, null, "no Gateway with at least one listener is defined"))));
  }

  @Test
  void routeWithoutParentIsRejected() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: orphan}
        spec:
          rules: []
        """ + BASE))
        .containsExactly("bad.yaml:4: HTTPRoute/orphan: spec.parentRefs: at least one parentRef is required");
  }

  @Test
  void tlsMaterialIsCheckedWhenCompiled() {
    String notACertificate = GOOD.replace(TestPem.CERTIFICATE_YAML_ESCAPED, "not a certificate");
    assertThat(notACertificate).isNotEqualTo(GOOD);
    assertThat(errors(notACertificate)).containsExactly(
        "bad.yaml:19: Gateway/edge: spec.listeners[1].tls.certificateRefs[0].name: Secret ai/edge-cert: tls.crt is not a PEM certificate chain");
    assertThat(errors(GOOD.replace("tls.key: " + TestPem.PRIVATE_KEY_BASE64, "tls.key: bm90IGEga2V5"))).containsExactly(
        "bad.yaml:19: Gateway/edge: spec.listeners[1].tls.certificateRefs[0].name: Secret ai/edge-cert: tls.key is not a PEM private key");
  }
}
