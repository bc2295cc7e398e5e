package dev.aigis.model.snapshot;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.ExtProcessSpec.BodySendMode;
import dev.aigis.model.processing.ExtProcessSpec.HeaderSendMode;
import dev.aigis.model.processing.InProcessSpec;
import dev.aigis.model.processing.InProcessSpec.Assignment;
import dev.aigis.model.processing.ProcessorFieldPaths;
import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.processing.ProcessorSpec.FailureModeSpec;
import dev.aigis.model.processing.TargetRef;
import dev.aigis.model.route.RouteFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** PayloadProcessor loading, validation, conflicts and ExtensionRef resolution, end to end. */
class PayloadProcessorCompilerTest {

  private static final String GOOD = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: aigis}
      spec:
        gatewayClassName: aigis
        listeners:
        - {name: http, port: 8080, protocol: HTTP}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: echo}
      spec: {schema: OpenAI, endpoint: {builtin: Echo}}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: chat}
      spec:
        parentRefs: [{name: aigis}]
        rules:
        - filters:
          - type: ExtensionRef
            extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: redact}
          backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: PayloadProcessor
      metadata: {name: model-from-body, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: aigis}
        phase: PreRouting
        processors:
        - name: set-model-header
          type: InProcess
          failureMode: FailClosed
          timeout: 100ms
          inProcess:
            request:
              setHeaders: [{name: X-Gateway-Model-Name, value: "json(request.body).model"}]
              removeHeaders: [x-debug]
              setBodyFields: [{path: "$.metadata.team", value: "request.headers['x-team']"}]
              removeBodyFields: ["$.user"]
            response:
              setHeaders: [{name: x-tokens, value: "string(response.usage.total)"}]
              removeHeaders: [server]
        - name: guard
          type: ExtProcess
          extProcess:
            host: 127.0.0.1
            port: 9002
            tls: false
            processingMode: {requestHeaderMode: SEND, requestBodyMode: BUFFERED, responseHeaderMode: SKIP, responseBodyMode: STREAMED}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: PayloadProcessor
      metadata: {name: redact}
      spec:
        processors:
        - name: drop-user
          type: InProcess
          failureMode: FailOpen
          inProcess:
            request:
              removeBodyFields: ["$.user", "$['messages'][0]"]
        - name: audit
          type: ExtProcess
          extProcess: {host: audit.internal, port: 9443, tls: true}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: PayloadProcessor
      metadata: {name: route-post}
      spec:
        targetRef: {kind: HTTPRoute, name: chat}
        phase: PostRouting
        processors:
        - {name: tag, type: InProcess, inProcess: {response: {setHeaders: [{name: x-route, value: "'chat'"}]}}}
      """;

  @Test
  void processorsAndExtensionRefsCompileWithEveryFieldBound() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("good.yaml", GOOD, ENV);

    assertThat(snapshot.warnings()).isEmpty();
    assertThat(snapshot.payloadProcessors()).extracting(PayloadProcessor::name)
        .containsExactly("model-from-body", "redact", "route-post");
    PayloadProcessor model = snapshot.payloadProcessor("default", "model-from-body").orElseThrow();
    assertThat(model.metadata().creationTimestamp()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(model.targetRef()).isEqualTo(new TargetRef("gateway.networking.k8s.io", "Gateway", "aigis"));
    assertThat(model.phase()).isEqualTo(ProcessorPhase.PreRouting);
    assertThat(model.processors()).containsExactly(
        new ProcessorSpec("set-model-header", FailureModeSpec.FailClosed, Duration.ofMillis(100),
            new InProcessSpec(
                new InProcessSpec.Mutations(
                    List.of(new Assignment("X-Gateway-Model-Name", "json(request.body).model")),
                    List.of("x-debug"),
                    List.of(new Assignment("$.metadata.team", "request.headers['x-team']")),
                    List.of("$.user")),
                new InProcessSpec.Mutations(
                    List.of(new Assignment("x-tokens", "string(response.usage.total)")), List.of("server"), null, null))),
        new ProcessorSpec("guard", FailureModeSpec.FailClosed, null,
            new ExtProcessSpec("127.0.0.1", 9002, false, new ExtProcessSpec.ProcessingModeSpec(
                HeaderSendMode.SEND, BodySendMode.BUFFERED, HeaderSendMode.SKIP, BodySendMode.STREAMED))));

    PayloadProcessor redact = snapshot.payloadProcessor("default", "redact").orElseThrow();
    assertThat(redact.targetRef()).isNull();
    assertThat(redact.phase()).isNull();
    assertThat(redact.processors().getFirst().failureMode()).isEqualTo(FailureModeSpec.FailOpen);
    assertThat(redact.processors().getFirst().config()).isInstanceOfSatisfying(InProcessSpec.class, dropUser -> {
      assertThat(dropUser.response()).isNull();
      assertThat(dropUser.request().touchesBody()).isTrue();
    });
    // Without processingMode: Envoy's defaults.
    assertThat(redact.processors().get(1).config())
        .isEqualTo(new ExtProcessSpec("audit.internal", 9443, true, ExtProcessSpec.ProcessingModeSpec.DEFAULT));

    assertThat(snapshot.routes().getFirst().rules().getFirst().filters())
        .containsExactly(new RouteFilter.ExtensionRef("aigis.dev", "PayloadProcessor", "redact"));
    // An omitted targetRef group is Gateway API's.
    assertThat(snapshot.payloadProcessor("default", "route-post").orElseThrow().targetRef())
        .isEqualTo(new TargetRef(null, "HTTPRoute", "chat"));
    assertThat(snapshot.attachedPayloadProcessor("Gateway", "default", "aigis", ProcessorPhase.PreRouting))
        .contains(model);
    assertThat(snapshot.attachedPayloadProcessor("HTTPRoute", "default", "chat", ProcessorPhase.PostRouting))
        .map(PayloadProcessor::name).contains("route-post");
    assertThat(snapshot.attachedPayloadProcessor("Gateway", "default", "aigis", ProcessorPhase.PostRouting)).isEmpty();
    assertThat(snapshot.payloadProcessor("other", "redact")).isEmpty();
  }

  @Test
  void celExpressionErrorsAreLocatedThroughTheDocumentedFieldPaths() throws ConfigException {
    PayloadProcessor model = ConfigPipeline.compileText("good.yaml", GOOD, ENV)
        .payloadProcessor("default", "model-from-body").orElseThrow();
    String header = ProcessorFieldPaths.setHeaderValue(0, ProcessorFieldPaths.Side.request, 0);
    String body = ProcessorFieldPaths.setBodyFieldValue(0, ProcessorFieldPaths.Side.request, 0);
    String response = ProcessorFieldPaths.setHeaderValue(0, ProcessorFieldPaths.Side.response, 0);

    assertThat(header).isEqualTo("spec.processors[0].inProcess.request.setHeaders[0].value");
    assertThat(ConfigError.at(model, header, "undeclared reference to 'jsn'").format()).isEqualTo(
        "good.yaml:38: PayloadProcessor/model-from-body: spec.processors[0].inProcess.request.setHeaders[0].value:"
            + " undeclared reference to 'jsn'");
    assertThat(body).isEqualTo("spec.processors[0].inProcess.request.setBodyFields[0].value");
    assertThat(model.source().lineOf(body)).isEqualTo(40);
    assertThat(model.source().lineOf(response)).isEqualTo(43);
  }

  @Test
  void loaderIsStrictAboutFieldsTypesAndEnums() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          targetRef: {kind: Gateway, name: gw, namespace: other}
          phase: Early
          processors:
          - name: a
            type: Cel
            failureMode: Open
            timeout: 1.5s
            inProcess:
              request:
                setHeader: [{name: x, value: y}]
                setHeaders: [{header: x, value: y}]
                removeBodyFields: "$.user"
          - name: b
            type: ExtProcess
            extProcess: {host: "", port: "9002", tls: "yes", processingMode: {requestBodyMode: FULL}}
        """ + BASE))
        .containsExactly(
            "bad.yaml:5: PayloadProcessor/p: spec.targetRef.namespace: unknown field",
            "bad.yaml:6: PayloadProcessor/p: spec.phase: must be one of PreRouting, PostRouting (got \"Early\")",
            "bad.yaml:9: PayloadProcessor/p: spec.processors[0].type: must be one of InProcess, ExtProcess, Guardrail, SemanticRoute, ResponseCache, Retrieval (got \"Cel\")",
            "bad.yaml:10: PayloadProcessor/p: spec.processors[0].failureMode: must be one of FailClosed, FailOpen (got \"Open\")",
            "bad.yaml:11: PayloadProcessor/p: spec.processors[0].timeout: invalid duration \"1.5s\":"
                + " expected a Gateway API duration such as 10s, 500ms or 1m30s",
            "bad.yaml:14: PayloadProcessor/p: spec.processors[0].inProcess.request.setHeader: unknown field",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[0].inProcess.request.setHeaders[0].header: unknown field",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[0].inProcess.request.setHeaders[0].name: required field is missing",
            "bad.yaml:16: PayloadProcessor/p: spec.processors[0].inProcess.request.removeBodyFields: expected a list, got a string",
            "bad.yaml:19: PayloadProcessor/p: spec.processors[1].extProcess.host: must not be empty",
            "bad.yaml:19: PayloadProcessor/p: spec.processors[1].extProcess.port: expected an integer, got a string",
            "bad.yaml:19: PayloadProcessor/p: spec.processors[1].extProcess.tls: expected true or false, got a string",
            "bad.yaml:19: PayloadProcessor/p: spec.processors[1].extProcess.processingMode.requestBodyMode:"
                + " must be one of NONE, BUFFERED, STREAMED (got \"FULL\")");
  }

  @Test
  void processorListRules() {
    String many = IntStream.range(0, 17)
        .mapToObj(i -> "  - {name: p" + i + ", type: InProcess, inProcess: {request: {removeHeaders: [x]}}}\n")
        .collect(Collectors.joining());
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: none}
        spec:
          processors: []
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: many}
        spec:
          processors:
        """ + many + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: names}
        spec:
          processors:
          - {name: same, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}
          - {name: same, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}
          - {name: Set_Model, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}
        """ + BASE))
        .containsExactly(
            "bad.yaml:5: PayloadProcessor/none: spec.processors: at least one processor is required",
            "bad.yaml:11: PayloadProcessor/many: spec.processors: at most 16 processors are allowed (got 17)",
            "bad.yaml:36: PayloadProcessor/names: spec.processors[1].name: duplicate processor name \"same\"",
            "bad.yaml:37: PayloadProcessor/names: spec.processors[2].name: invalid processor name \"Set_Model\":"
                + " must be lowercase letters, digits and '-', starting and ending with a letter or digit");
  }

  @Test
  void eachProcessorCarriesExactlyTheBlockOfItsType() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: wrong-block
            type: InProcess
            extProcess: {host: h, port: 1}
          - name: both
            type: ExtProcess
            inProcess: {request: {removeHeaders: [x]}}
            extProcess: {host: h, port: 1}
          - name: nothing
            type: ExtProcess
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: PayloadProcessor/p: spec.processors[0].extProcess: must not be set when type is InProcess",
            "bad.yaml:6: PayloadProcessor/p: spec.processors[0].inProcess: required when type is InProcess",
            "bad.yaml:11: PayloadProcessor/p: spec.processors[1].inProcess: must not be set when type is ExtProcess",
            "bad.yaml:13: PayloadProcessor/p: spec.processors[2].extProcess: required when type is ExtProcess");
  }

  @Test
  void anUnknownTypeIsRefusedWithTheKnownOnesAndItsBlocksAreStillChecked() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: wasm
            type: Wasm
            wasm: {module: filter.wasm}
          - name: untyped
            extProcess: {host: h, port: "9002"}
          - name: empty-type
            type: ""
            inProcess: {request: {removeHeader: [x]}}
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: PayloadProcessor/p: spec.processors[0].wasm: unknown field",
            "bad.yaml:7: PayloadProcessor/p: spec.processors[0].type: must be one of InProcess, ExtProcess, Guardrail, SemanticRoute, ResponseCache, Retrieval (got \"Wasm\")",
            "bad.yaml:9: PayloadProcessor/p: spec.processors[1].type: required field is missing",
            "bad.yaml:10: PayloadProcessor/p: spec.processors[1].extProcess.port: expected an integer, got a string",
            "bad.yaml:12: PayloadProcessor/p: spec.processors[2].type: must not be empty",
            "bad.yaml:12: PayloadProcessor/p: spec.processors[2].type: must be one of InProcess, ExtProcess, Guardrail, SemanticRoute, ResponseCache, Retrieval (got \"\")",
            "bad.yaml:13: PayloadProcessor/p: spec.processors[2].inProcess.request.removeHeader: unknown field");
  }

  @Test
  void aResponseCacheBlockIsReadStrictly() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: bad
            type: ResponseCache
            responseCache:
              semantic: {threshold: high, size: 3}
              store: {redis: {url: "http://cache:6379", passwordSecret: Bad_Name}}
              scope: User
        """ + BASE))
        .containsExactlyInAnyOrder(
            "bad.yaml:11: PayloadProcessor/p: spec.processors[0].responseCache.scope: must be one of Shared, Team, Caller (got \"User\")",
            "bad.yaml:9: PayloadProcessor/p: spec.processors[0].responseCache.semantic.size: unknown field",
            "bad.yaml:9: PayloadProcessor/p: spec.processors[0].responseCache.semantic.threshold: expected a number, got a string",
            "bad.yaml:10: PayloadProcessor/p: spec.processors[0].responseCache.store.redis.url: URL scheme must be redis or rediss (TLS)",
            "bad.yaml:10: PayloadProcessor/p: spec.processors[0].responseCache.store.redis.passwordSecret: invalid Secret name"
                + " \"Bad_Name\": must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
  }

  @Test
  void aResponseCacheBlockIsValidatedFieldByField() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: disabled
            type: ResponseCache
            responseCache: {exact: {enabled: false}, semantic: {enabled: false}}
          - name: bad
            type: ResponseCache
            responseCache:
              semantic: {threshold: 1.5}
              ttl: 0s
              maxEntries: 0
              maxTemperature: 2.5
              store: {redis: {url: "redis://cache:6379", timeout: 0s}}
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: PayloadProcessor/p: spec.processors[0].responseCache: at least one of exact and semantic must be enabled",
            "bad.yaml:12: PayloadProcessor/p: spec.processors[1].responseCache.semantic.threshold: must be in (0, 1], got 1.5",
            "bad.yaml:13: PayloadProcessor/p: spec.processors[1].responseCache.ttl: must be positive, got PT0S",
            "bad.yaml:14: PayloadProcessor/p: spec.processors[1].responseCache.maxEntries: must be 1..10000000, got 0",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[1].responseCache.maxTemperature: must be 0..2, got 2.5",
            "bad.yaml:16: PayloadProcessor/p: spec.processors[1].responseCache.store.redis.timeout: must be positive, got PT0S");
  }

  @Test
  void aGuardrailBlockIsReadStrictly() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: bad
            type: Guardrail
            guardrail:
              messages: Everything
              injection: {action: Drop}
              output: {threshold: 0.5}
        """ + BASE))
        .containsExactlyInAnyOrder(
            "bad.yaml:9: PayloadProcessor/p: spec.processors[0].guardrail.messages: must be one of UserAndTools, LastUser, All (got \"Everything\")",
            "bad.yaml:10: PayloadProcessor/p: spec.processors[0].guardrail.injection.action: must be one of Block, Flag, Log (got \"Drop\")",
            "bad.yaml:11: PayloadProcessor/p: spec.processors[0].guardrail.output.threshold: unknown field");
  }

  @Test
  void aGuardrailBlockIsValidatedFieldByField() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: empty
            type: Guardrail
            guardrail: {messages: LastUser}
          - name: bad
            type: Guardrail
            guardrail:
              injection: {threshold: 1.5}
              pii: {entities: {EMAIL_ADDRESS: Scramble}}
              output: {stride: 8}
              anomaly: {zThreshold: 0.5, minHistory: 1, signals: [rate, mood]}
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: PayloadProcessor/p: spec.processors[0].guardrail: at least one of injection, pii, output or anomaly is required",
            "bad.yaml:12: PayloadProcessor/p: spec.processors[1].guardrail.injection.threshold: must be in (0, 1], got 1.5",
            "bad.yaml:14: PayloadProcessor/p: spec.processors[1].guardrail.output.stride: must be 16..4096 characters, got 8",
            "bad.yaml:13: PayloadProcessor/p: spec.processors[1].guardrail.pii.entities.EMAIL_ADDRESS: must be one of Redact, Mask, Hash, Block, Off (got \"Scramble\")",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[1].guardrail.anomaly.zThreshold: must be at least 1, got 0.5",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[1].guardrail.anomaly.minHistory: must be at least 2, got 1",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[1].guardrail.anomaly.signals[1]: must be one of rate, tokens, length, distance (got \"mood\")");
  }

  @Test
  void aStreamedRequestBodyIsRefusedBecauseTheChainDeliversRequestBodiesWhole() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: guard
            type: ExtProcess
            extProcess:
              host: guard.internal
              port: 9002
              processingMode:
                requestBodyMode: STREAMED
                responseBodyMode: STREAMED
        """ + BASE))
        .containsExactly("bad.yaml:12: PayloadProcessor/p: spec.processors[0].extProcess.processingMode.requestBodyMode:"
            + " STREAMED is not supported; use BUFFERED"
            + " (processors receive the request body whole, in one request_body message)");
  }

  @Test
  void processorContents() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
          processors:
          - name: zero
            type: InProcess
            timeout: 0s
            inProcess: {request: {}, response: {setHeaders: []}}
          - name: names-and-paths
            type: InProcess
            inProcess:
              request:
                setHeaders: [{name: "x model", value: "'a'"}]
                removeHeaders: ["bad:name"]
                setBodyFields: [{path: "$..model", value: "'b'"}]
                removeBodyFields: ["user", "$.ok", "$[-1]"]
              response:
                removeHeaders: ["x\\u00e9"]
                setBodyFields: [{path: "$", value: "'{}'"}]
          - name: remote
            type: ExtProcess
            extProcess: {host: " ", port: 70000}
          - name: remote-zero
            type: ExtProcess
            extProcess: {host: h, port: 0}
        """ + BASE))
        .containsExactly(
            "bad.yaml:8: PayloadProcessor/p: spec.processors[0].timeout: must be positive (got 0s)",
            "bad.yaml:9: PayloadProcessor/p: spec.processors[0].inProcess: at least one mutation is required"
                + " (setHeaders, removeHeaders, setBodyFields or removeBodyFields under request or response)",
            "bad.yaml:14: PayloadProcessor/p: spec.processors[1].inProcess.request.setHeaders[0].name:"
                + " invalid header name \"x model\"",
            "bad.yaml:15: PayloadProcessor/p: spec.processors[1].inProcess.request.removeHeaders[0]:"
                + " invalid header name \"bad:name\"",
            "bad.yaml:16: PayloadProcessor/p: spec.processors[1].inProcess.request.setBodyFields[0].path:"
                + " invalid JSONPath \"$..model\": expected a field name at offset 2, found '.'"
                + " (wildcards and '..' are not supported)",
            "bad.yaml:17: PayloadProcessor/p: spec.processors[1].inProcess.request.removeBodyFields[0]:"
                + " invalid JSONPath \"user\": must start with $",
            "bad.yaml:17: PayloadProcessor/p: spec.processors[1].inProcess.request.removeBodyFields[2]:"
                + " invalid JSONPath \"$[-1]\": expected a quoted name or a non-negative index at offset 2"
                + " (wildcards, slices, filters and negative indices are not supported)",
            "bad.yaml:19: PayloadProcessor/p: spec.processors[1].inProcess.response.removeHeaders[0]:"
                + " invalid header name \"x\u00e9\"",
            "bad.yaml:20: PayloadProcessor/p: spec.processors[1].inProcess.response.setBodyFields[0].path:"
                + " invalid JSONPath \"$\": must select something below $, such as $.model",
            "bad.yaml:23: PayloadProcessor/p: spec.processors[2].extProcess.host: must not be empty",
            "bad.yaml:23: PayloadProcessor/p: spec.processors[2].extProcess.port: port 70000 is out of range 1..65535",
            "bad.yaml:26: PayloadProcessor/p: spec.processors[3].extProcess.port: port 0 is out of range 1..65535");
  }

  @Test
  void targetRefRules() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: service}
        spec:
          targetRef: {kind: Service, name: gw}
          phase: PreRouting
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: group}
        spec:
          targetRef: {group: aigis.dev, kind: Gateway, name: gw}
          phase: PreRouting
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: missing-gateway}
        spec:
          targetRef: {kind: Gateway, name: x}
          phase: PostRouting
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: missing-route, namespace: team}
        spec:
          targetRef: {kind: HTTPRoute, name: chat}
          phase: PostRouting
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: no-phase}
        spec:
          targetRef: {kind: Gateway, name: gw}
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: route-pre}
        spec:
          targetRef: {kind: HTTPRoute, name: chat}
          phase: PreRouting
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
        """ + BASE))
        .containsExactly(
            "bad.yaml:5: PayloadProcessor/service: spec.targetRef.kind: must be Gateway or HTTPRoute (got \"Service\")",
            "bad.yaml:13: PayloadProcessor/group: spec.targetRef.group: must be gateway.networking.k8s.io (got \"aigis.dev\")",
            "bad.yaml:21: PayloadProcessor/missing-gateway: spec.targetRef.name: Gateway default/x not found",
            "bad.yaml:29: PayloadProcessor/missing-route: spec.targetRef.name: HTTPRoute team/chat not found",
            "bad.yaml:36: PayloadProcessor/no-phase: spec.phase: required when targetRef is set",
            "bad.yaml:45: PayloadProcessor/route-pre: spec.phase: PreRouting runs before a route is known; target a Gateway");
  }

  private static String processor(String name, String created, String kind, String target, String phase) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: %s%s}
        spec:
          targetRef: {kind: %s, name: %s}
          phase: %s
          processors: [{name: a, type: InProcess, inProcess: {request: {removeHeaders: [x]}}}]
        """.formatted(name, created == null ? "" : ", creationTimestamp: \"" + created + "\"", kind, target, phase);
  }

  @Test
  void theOlderProcessorWinsAConflictAndTheNewerIsAWarning() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("pp.yaml", BASE
        + processor("a-new", "2025-02-01T00:00:00Z", "Gateway", "gw", "PreRouting")
        + processor("b-none", null, "Gateway", "gw", "PreRouting")
        + processor("z-old", "2025-01-01T00:00:00Z", "Gateway", "gw", "PreRouting")
        + processor("post", "2025-03-01T00:00:00Z", "Gateway", "gw", "PostRouting")
        + processor("route", null, "HTTPRoute", "chat", "PostRouting")
        + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
        """, ENV);

    assertThat(snapshot.payloadProcessors()).extracting(PayloadProcessor::name).containsExactly("z-old", "post", "route");
    assertThat(snapshot.attachedPayloadProcessor("Gateway", "default", "gw", ProcessorPhase.PreRouting))
        .map(PayloadProcessor::name).contains("z-old");
    assertThat(snapshot.warnings()).extracting(ConfigError::format).containsExactly(
        "pp.yaml:26: PayloadProcessor/a-new: spec.targetRef: conflicts with PayloadProcessor default/z-old"
            + " on Gateway default/gw (PreRouting); the older one applies",
        "pp.yaml:34: PayloadProcessor/b-none: spec.targetRef: conflicts with PayloadProcessor default/z-old"
            + " on Gateway default/gw (PreRouting); the older one applies");
    assertThat(snapshot.resources()).extracting(r -> r.name()).contains("a-new", "b-none");
  }

  @Test
  void equallyOldProcessorsAreOrderedByNamespaceAndName() throws ConfigException {
    ConfigSnapshot sameTime = ConfigPipeline.compileText("pp.yaml", BASE
        + processor("beta", "2025-01-01T00:00:00Z", "Gateway", "gw", "PreRouting")
        + processor("alpha", "2025-01-01T00:00:00Z", "Gateway", "gw", "PreRouting"), ENV);
    ConfigSnapshot noTime = ConfigPipeline.compileText("pp.yaml", BASE
        + processor("beta", null, "Gateway", "gw", "PostRouting")
        + processor("alpha", null, "Gateway", "gw", "PostRouting"), ENV);

    for (ConfigSnapshot snapshot : List.of(sameTime, noTime)) {
      assertThat(snapshot.payloadProcessors()).extracting(PayloadProcessor::name).containsExactly("alpha");
      assertThat(snapshot.warnings()).extracting(ConfigError::format).singleElement().asString()
          .startsWith("pp.yaml:26: PayloadProcessor/beta: spec.targetRef: conflicts with PayloadProcessor default/alpha");
    }
  }

  @Test
  void processorsInOtherNamespacesDoNotConflict() throws ConfigException {
    String team = """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: team}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        """;
    ConfigSnapshot snapshot = ConfigPipeline.compileText("pp.yaml", BASE + team
        + processor("p", null, "Gateway", "gw", "PreRouting")
        + processor("p", null, "Gateway", "gw", "PreRouting").replace("{name: p}", "{name: p, namespace: team}"), ENV);

    assertThat(snapshot.warnings()).isEmpty();
    assertThat(snapshot.payloadProcessors()).hasSize(2);
    assertThat(snapshot.payloadProcessor("team", "p")).isPresent();
  }

  @Test
  void extensionRefsMustResolveToAProcessorInTheSnapshot() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: team}
        spec:
          parentRefs: [{name: gw, namespace: default}]
          rules:
          - filters:
            - type: ExtensionRef
              extensionRef: {group: example.com, kind: PayloadProcessor, name: a}
            - type: ExtensionRef
              extensionRef: {group: aigis.dev, kind: Wasm, name: a}
            - type: ExtensionRef
              extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: elsewhere}
            - type: ExtensionRef
              extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: loser}
            - type: ExtensionRef
              extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: winner}
        """ + BASE
        + processor("elsewhere", null, "Gateway", "gw", "PreRouting").replace("PreRouting", "PostRouting")
        + processor("winner", "2025-01-01T00:00:00Z", "Gateway", "gw", "PreRouting").replace("{name: winner", "{name: winner, namespace: team")
            .replace("name: gw}", "name: edge}")
        + processor("loser", null, "Gateway", "gw", "PreRouting").replace("{name: loser", "{name: loser, namespace: team")
            .replace("name: gw}", "name: edge}")
        + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: team}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        """))
        .containsExactly(
            "bad.yaml:9: HTTPRoute/chat: spec.rules[0].filters[0].extensionRef.group:"
                + " only aigis.dev/PayloadProcessor extensions are supported",
            "bad.yaml:11: HTTPRoute/chat: spec.rules[0].filters[1].extensionRef.kind:"
                + " only aigis.dev/PayloadProcessor extensions are supported",
            "bad.yaml:13: HTTPRoute/chat: spec.rules[0].filters[2].extensionRef.name: PayloadProcessor team/elsewhere not found",
            "bad.yaml:15: HTTPRoute/chat: spec.rules[0].filters[3].extensionRef.name: PayloadProcessor team/loser is left out:"
                + " it conflicts with PayloadProcessor team/winner on Gateway team/edge (PreRouting)");
  }

  @Test
  void extensionRefNeedsItsReference() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          rules:
          - filters:
            - type: ExtensionRef
              extensionRef: {group: aigis.dev, name: p}
            - type: ExtensionRef
        """))
        .containsExactly(
            "bad.yaml:8: HTTPRoute/chat: spec.rules[0].filters[0].extensionRef.kind: required field is missing",
            "bad.yaml:9: HTTPRoute/chat: spec.rules[0].filters[1].extensionRef: required field is missing");
  }
}
