package dev.aigis.server.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.extproc.ExtProcProcessor;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.InProcessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compile-side registry: one factory per config record, dispatch, and located errors. */
class ProcessorFactoriesTest {

  private static final Processor NOTHING = () -> ProcessorNeeds.REQUEST_HEADERS_ONLY;

  private static final String CONFIG = """
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
        - name: cel
          type: InProcess
          inProcess: {request: {removeHeaders: [x-debug]}}
        - name: remote
          type: ExtProcess
          extProcess: {host: 127.0.0.1, port: 9002}
      """;

  @Test
  void builtInFactoriesCompileEachConfigWithItsOwnFactory() {
    try (var channels = new ExtProcChannels()) {
      ProcessorFactories factories = ProcessorFactories.builtIn(channels, ProcessorRuntimes.forValidation());
      Entry entry = new Entry("remote");

      assertThat(factories.compile(new ExtProcessSpec("127.0.0.1", 9002, false, null), entry))
          .isInstanceOfSatisfying(ExtProcProcessor.class, p -> assertThat(p.name()).isEqualTo("remote"));
      assertThat(factories.compile(new InProcessSpec(
          new InProcessSpec.Mutations(null, List.of("x-debug"), null, null), null), entry)).isNotNull();
      assertThat(factories.compile(new InProcessSpec(new InProcessSpec.Mutations(
          List.of(new InProcessSpec.Assignment("x", "nope")), null, null, null), null), entry)).isNull();
      assertThat(factories.compile(new dev.aigis.model.processing.GuardrailSpec("UserAndTools", null,
          new dev.aigis.model.processing.GuardrailSpec.Pii("Both", "Redact", java.util.Map.of(), List.of()), null, null),
          entry)).isInstanceOf(dev.aigis.core.guard.processor.GuardrailProcessor.class);
      // A validation runtime reads the examples and embeds nothing until a request arrives.
      assertThat(factories.compile(new dev.aigis.model.processing.SemanticRouteSpec(List.of(
          new dev.aigis.model.processing.SemanticRouteSpec.Route("billing", "billing-model", null,
              List.of("send me my invoice"), null)), null, null, null, new java.math.BigDecimal("0.41"), 10,
          "X-Gateway-Model-Name", false, "LastUser"), entry))
          .isInstanceOf(dev.aigis.core.routing.semantic.SemanticRouteProcessor.class);
      assertThat(entry.errors).singleElement().asString()
          .startsWith("inProcess.request.setHeaders[0].value: ").contains("undeclared reference to 'nope'");
    }
  }

  @Test
  void everyPermittedConfigRecordNeedsExactlyOneFactory() {
    assertThatThrownBy(() -> new ProcessorFactories.Builder().add(InProcessSpec.class, (spec, entry) -> NOTHING).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no processor factory compiles ExtProcessSpec, GuardrailSpec, SemanticRouteSpec, ResponseCacheSpec, RetrievalSpec");
    assertThatThrownBy(() -> new ProcessorFactories.Builder()
            .add(InProcessSpec.class, (spec, entry) -> NOTHING)
            .add(InProcessSpec.class, (spec, entry) -> NOTHING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("InProcessSpec has two processor factories");
  }

  @Test
  void factoryErrorsAreLocatedAndAnEntryThatYieldsNothingIsStillRefused() {
    ProcessorFactories factories = new ProcessorFactories.Builder()
        .add(InProcessSpec.class, (spec, entry) -> {
          entry.error("inProcess.request.removeHeaders[0]", "refused by " + entry.name());
          return null;
        })
        .add(ExtProcessSpec.class, (spec, entry) -> null)
        .add(dev.aigis.model.processing.GuardrailSpec.class, (spec, entry) -> null)
        .add(dev.aigis.model.processing.SemanticRouteSpec.class, (spec, entry) -> null)
        .add(dev.aigis.model.processing.RetrievalSpec.class, (spec, entry) -> null)
        .add(dev.aigis.model.processing.ResponseCacheSpec.class, (spec, entry) -> null)
        .build();

    assertThatThrownBy(() -> new ProcessingCompiler(factories)
            .compile(ConfigPipeline.compileText("p.yaml", CONFIG, Map.<String, String>of()::get)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::format)
            .containsExactly(
                "p.yaml:17: PayloadProcessor/pre: spec.processors[0].inProcess.request.removeHeaders[0]: refused by cel",
                "p.yaml:18: PayloadProcessor/pre: spec.processors[1]: could not be compiled"));
  }

  @Test
  void guardrailSettingsOnlyTheDetectorsKnowAreCheckedWhenTheEntryCompiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path rules = dir.resolve("rules.yaml");
    java.nio.file.Files.writeString(rules, """
        rules:
        - id: broken
          category: test
          weight: 0.5
          patterns: ['(unclosed']
        """);
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: guards}
        spec:
          targetRef: {kind: Gateway, name: gw}
          phase: PostRouting
          processors:
          - name: guard
            type: Guardrail
            guardrail:
              injection: {ruleFiles: [%s]}
              pii: {entities: {EMAIL: Block}, regions: [XX]}
        """.formatted(rules);
    try (var channels = new ExtProcChannels()) {
      assertThatThrownBy(() -> new ProcessingCompiler(channels)
              .compile(ConfigPipeline.compileText("g.yaml", yaml, Map.<String, String>of()::get)))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::format)
              .satisfiesExactly(
                  ruleFile -> assertThat(ruleFile).isEqualTo("g.yaml:18: PayloadProcessor/guards: "
                      + "spec.processors[0].guardrail.injection.ruleFiles: " + rules + ":5: rule broken: patterns[0]: "
                      + "missing closing )"),
                  entity -> assertThat(entity).isEqualTo("g.yaml:19: PayloadProcessor/guards: "
                      + "spec.processors[0].guardrail.pii.entities.EMAIL: unknown entity; one of EMAIL_ADDRESS, PHONE_NUMBER,"
                      + " CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS, AWS_ACCESS_KEY, GITHUB_TOKEN, OPENAI_KEY, JWT, PRIVATE_KEY"),
                  region -> assertThat(region).startsWith("g.yaml:19: PayloadProcessor/guards: "
                      + "spec.processors[0].guardrail.pii.regions: ").contains("XX")));
    }
  }

  private static final class Entry implements ProcessorFactory.Entry {
    private final String name;
    private final List<String> errors = new ArrayList<>();

    Entry(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void error(String field, String message) {
      errors.add(field + ": " + message);
    }
  }
}
