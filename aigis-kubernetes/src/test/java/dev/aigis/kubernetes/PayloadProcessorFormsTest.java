package dev.aigis.kubernetes;

import static dev.aigis.kubernetes.Cluster.BASE;
import static dev.aigis.kubernetes.Cluster.conditions;
import static dev.aigis.kubernetes.Cluster.reconcile;
import static dev.aigis.kubernetes.Cluster.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The AI Gateway WG's PayloadProcessor (gateway.networking.k8s.io/v1alpha1, proposal 7 / GEP-5091) is
 * accepted as Aigis's: same spec, same compiler, GEP-713 ancestor status. docs/kubernetes.md says how
 * it maps onto GEP-5224's listener filters once their names are final.
 */
class PayloadProcessorFormsTest {

  static String processor(String apiVersion, String name) {
    return """
        apiVersion: %s
        kind: PayloadProcessor
        metadata: {name: %s, namespace: default, generation: 2}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          phase: PreRouting
          processors:
          - name: extract-model
            type: InProcess
            failureMode: FailClosed
            timeout: 500ms
            inProcess:
              request:
                setHeaders: [{name: X-Gateway-Model-Name, value: 'json(request.body).model'}]
        """.formatted(apiVersion, name);
  }

  @Test
  void theWorkingGroupsFormCompilesAsAigissAndReportsItsAncestor() {
    Reconciliation result = reconcile(BASE, processor("gateway.networking.k8s.io/v1alpha1", "model-from-body"));

    assertThat(result.rejected()).isEmpty();
    assertThat(result.snapshot().payloadProcessors()).singleElement()
        .satisfies(p -> assertThat(p.metadata().name()).isEqualTo("model-from-body"));
    JsonNode ancestors = result.statuses().entrySet().stream()
        .filter(e -> e.getKey().kind().equals(WatchedKind.WG_PAYLOAD_PROCESSOR)).findFirst().orElseThrow()
        .getValue().path("ancestors");
    assertThat(ancestors).hasSize(1);
    assertThat(ancestors.get(0).path("ancestorRef").toString()).isEqualTo(
        "{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":\"gw\",\"namespace\":\"default\"}");
    assertThat(conditions(ancestors.get(0).path("conditions"))).containsExactly("Accepted=True/Accepted");
    assertThat(ancestors.get(0).path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(2);
  }

  @Test
  void theSameNameInBothGroupsLeavesTheWorkingGroupsOneOutAsConflicted() {
    Reconciliation result = reconcile(BASE, processor("gateway.networking.k8s.io/v1alpha1", "p"),
        processor("aigis.dev/v1alpha1", "p"));

    assertThat(result.snapshot().payloadProcessors()).hasSize(1);
    JsonNode aigis = status(result, "PayloadProcessor", "default", "p");
    JsonNode wg = result.statuses().entrySet().stream()
        .filter(e -> e.getKey().kind().equals(WatchedKind.WG_PAYLOAD_PROCESSOR)).findFirst().orElseThrow().getValue();
    assertThat(conditions(wg.path("ancestors").get(0).path("conditions"))).containsExactly("Accepted=False/Conflicted");
    assertThat(result.statuses().entrySet().stream()
        .filter(e -> e.getKey().kind().equals(WatchedKind.PAYLOAD_PROCESSOR)).findFirst().orElseThrow().getValue()
        .path("ancestors").get(0).path("conditions").get(0).path("reason").asText()).isEqualTo("Accepted");
    assertThat(aigis).isNotNull();
  }

  @Test
  void aProcessorThatLosesATargetConflictIsConflicted() {
    String older = processor("aigis.dev/v1alpha1", "first").replace("generation: 2}",
        "generation: 2, creationTimestamp: \"2026-01-01T00:00:00Z\"}");
    String newer = processor("aigis.dev/v1alpha1", "second").replace("generation: 2}",
        "generation: 2, creationTimestamp: \"2026-02-01T00:00:00Z\"}");

    Reconciliation result = reconcile(BASE, older, newer);

    JsonNode second = status(result, "PayloadProcessor", "default", "second");
    assertThat(conditions(second.path("ancestors").get(0).path("conditions"))).containsExactly("Accepted=False/Conflicted");
    JsonNode first = status(result, "PayloadProcessor", "default", "first");
    assertThat(conditions(first.path("ancestors").get(0).path("conditions"))).containsExactly("Accepted=True/Accepted");
  }
}
