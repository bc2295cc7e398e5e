package dev.aigis.server.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessingCompilerTest {

  private static final String BASE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: PayloadProcessor
      metadata: {name: pre}
      spec:
        targetRef: {kind: Gateway, name: gw}
        phase: PreRouting
        processors:
        - name: model
          type: InProcess
          inProcess:
            request:
              setHeaders:
              - {name: X-Gateway-Model-Name, value: "%s"}
      """;

  @Test
  void compilesChainsByTargetAndPhase() throws ConfigException {
    try (var channels = new ExtProcChannels()) {
      CompiledProcessing compiled = new ProcessingCompiler(channels)
          .compile(ConfigPipeline.compileText("p.yaml", BASE.formatted("json(request.body).model"), Map.<String, String>of()::get));
      assertThat(compiled.gatewayPreRouting()).containsOnlyKeys("default/gw");
      assertThat(compiled.byName()).containsOnlyKeys("default/pre");
      assertThat(compiled.needsRequestBody()).isTrue();
    }
  }

  @Test
  void expressionThatDoesNotCompileIsALocatedConfigurationError() {
    try (var channels = new ExtProcChannels()) {
      assertThatThrownBy(() -> new ProcessingCompiler(channels)
              .compile(ConfigPipeline.compileText("p.yaml", BASE.formatted("nope.model"), Map.<String, String>of()::get)))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::format)
              .singleElement().asString()
              .startsWith("p.yaml:20: PayloadProcessor/pre: spec.processors[0].inProcess.request.setHeaders[0].value: ")
              .contains("undeclared reference to 'nope'"));
    }
  }

  @Test
  void aKnowledgeBaseThatCannotBeReadIsAnErrorAtItsOwnFileLineAndField(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path missing = dir.resolve("missing");
    String yaml = BASE.formatted("'gpt-4o'") + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: docs}
        spec:
          sources: [{path: "%s"}]
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
            retrieval: {knowledgeBase: docs}
        """.formatted(missing);
    try (var channels = new ExtProcChannels()) {
      assertThatThrownBy(() -> new ProcessingCompiler(channels)
              .compile(ConfigPipeline.compileText("p.yaml", yaml, Map.<String, String>of()::get)))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::format)
              .containsExactly("p.yaml:26: KnowledgeBase/docs: spec.sources[0].path: no such file or directory: " + missing));
    }
  }
}
