package dev.aigis.model.snapshot;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.processing.SemanticRouteSpec;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code type: SemanticRoute}: defaults, field rules and the PreRouting-only phase, as a user sees them. */
class SemanticRouteValidationTest {

  private static final String HEAD = """
      apiVersion: aigis.dev/v1alpha1
      kind: PayloadProcessor
      metadata: {name: p}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
      """;

  @Test
  void aMinimalEntryGetsTheTunedDefaults() throws ConfigException {
    var snapshot = ConfigPipeline.compileText("ok.yaml", HEAD + """
          phase: PreRouting
          processors:
          - name: router
            type: SemanticRoute
            semanticRoute:
              routes:
              - {name: billing, target: gpt-4o, examples: ["where is my invoice"]}
        """ + BASE, ENV);

    var spec = (SemanticRouteSpec) snapshot.payloadProcessors().getFirst().processors().getFirst().config();
    assertThat(spec.threshold()).isEqualTo(new BigDecimal("0.44"));
    assertThat(spec.neighbours()).isEqualTo(10);
    assertThat(spec.header()).isEqualTo("X-Gateway-Model-Name");
    assertThat(spec.messages()).isEqualTo("LastUser");
    assertThat(spec.rewriteModel()).isFalse();
    assertThat(spec.defaultTarget()).isNull();
    assertThat(spec.routes()).containsExactly(
        new SemanticRouteSpec.Route("billing", "gpt-4o", null, List.of("where is my invoice"), null));
  }

  @Test
  void everyRuleIsReportedAtItsField() {
    assertThat(errors(HEAD + """
          phase: PreRouting
          processors:
          - name: router
            type: SemanticRoute
            semanticRoute:
              threshold: 1.5
              neighbours: 0
              header: "bad header"
              default: ""
              routes:
              - {name: billing, target: gpt-4o, examples: ["invoice"]}
              - {name: billing, target: " ", examples: [" "]}
              - {name: oos, target: x, description: anything}
              - {name: empty, target: y}
        """ + BASE))
        .containsExactlyInAnyOrder(
            "bad.yaml:17: PayloadProcessor/p: spec.processors[0].semanticRoute.routes[1].name: duplicate route name \"billing\"",
            "bad.yaml:17: PayloadProcessor/p: spec.processors[0].semanticRoute.routes[1].target: must not be empty",
            "bad.yaml:17: PayloadProcessor/p: spec.processors[0].semanticRoute.routes[1].examples[0]: must not be blank",
            "bad.yaml:18: PayloadProcessor/p: spec.processors[0].semanticRoute.routes[2].name: \"oos\" is reserved (oos, default, out_of_scope name decisions that take no route)",
            "bad.yaml:19: PayloadProcessor/p: spec.processors[0].semanticRoute.routes[3]: needs at least one of examples, examplesFile or description (or a shared semanticRoute.examplesFile)",
            "bad.yaml:11: PayloadProcessor/p: spec.processors[0].semanticRoute.threshold: must be in [0, 1], got 1.5",
            "bad.yaml:12: PayloadProcessor/p: spec.processors[0].semanticRoute.neighbours: must be 1..100, got 0",
            "bad.yaml:13: PayloadProcessor/p: spec.processors[0].semanticRoute.header: not a valid header name: \"bad header\"",
            "bad.yaml:14: PayloadProcessor/p: spec.processors[0].semanticRoute.default: must not be empty (leave it out to keep the request's own model)");
  }

  @Test
  void itRunsOnlyBeforeRouting() {
    String entry = """
          processors:
          - name: router
            type: SemanticRoute
            semanticRoute:
              routes: [{name: billing, target: gpt-4o, description: invoices and payments}]
        """;
    assertThat(errors(HEAD + "  phase: PostRouting\n" + entry + BASE)).containsExactly(
        "bad.yaml:9: PayloadProcessor/p: spec.processors[0].type: SemanticRoute runs only in phase PreRouting"
            + " (this PayloadProcessor's phase is PostRouting)");
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: p}
        spec:
        """ + entry + BASE)).containsExactly(
        "bad.yaml:7: PayloadProcessor/p: spec.processors[0].type: SemanticRoute runs only in phase PreRouting"
            + " (a route's ExtensionRef filter runs after routing)");
  }
}
