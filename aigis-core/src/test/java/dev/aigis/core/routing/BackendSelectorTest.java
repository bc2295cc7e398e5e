package dev.aigis.core.routing;

import static dev.aigis.core.routing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.aigis.model.route.BackendRef;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

  private static final int PICKS = 100_000;
  private static final Map<String, ResolvedBackend> BACKENDS =
      backends(backend("default", "a"), backend("default", "b"), backend("default", "c"), backend("other", "x"));

  private static BackendSelector selector(BackendRef... refs) {
    return BackendSelector.resolve(List.of(refs), "default", BACKENDS);
  }

  /** Picks per backend name; "500" counts empty picks. */
  private static Map<String, Integer> tally(BackendSelector selector) {
    RandomGenerator random = new SplittableRandom(42);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < PICKS; i++) {
      String key = selector.pick(random).map(b -> b.ref().name()).orElse("500");
      counts.merge(key, 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void weightsOneToThreeSplitTrafficTwentyFiveSeventyFive() {
    Map<String, Integer> counts = tally(selector(backendRef("a", 1), backendRef("b", 3)));

    assertThat(counts.get("a") / (double) PICKS).isCloseTo(0.25, offset(0.01));
    assertThat(counts.get("b") / (double) PICKS).isCloseTo(0.75, offset(0.01));
    assertThat(counts).containsOnlyKeys("a", "b");
  }

  @Test
  void zeroWeightIsNeverPicked() {
    Map<String, Integer> counts = tally(selector(backendRef("a", 0), backendRef("b", 1), backendRef("c", 0)));

    assertThat(counts).containsExactly(Map.entry("b", PICKS));
  }

  @Test
  void allZeroWeightsPickNothing() {
    BackendSelector selector = selector(backendRef("a", 0), backendRef("b", 0));

    assertThat(selector.pick(new SplittableRandom(1))).isEmpty();
    assertThat(selector.hasNoUsableBackend()).isTrue();
    assertThat(selector.all()).hasSize(2);
  }

  @Test
  void noBackendRefsPickNothing() {
    BackendSelector selector = selector();

    assertThat(selector.pick(new SplittableRandom(1))).isEmpty();
    assertThat(selector.hasNoUsableBackend()).isTrue();
  }

  @Test
  void unresolvedBackendPicksNothing() {
    BackendSelector selector = selector(backendRef("missing", 1));

    assertThat(selector.pick(new SplittableRandom(1))).isEmpty();
    assertThat(selector.hasNoUsableBackend()).isTrue();
    assertThat(selector.all().getFirst().backend()).isNull();
  }

  @Test
  void unresolvedBackendKeepsItsShareAsFailures() {
    BackendSelector selector = selector(backendRef("a", 1), backendRef("missing", 1));
    Map<String, Integer> counts = tally(selector);

    assertThat(selector.hasNoUsableBackend()).isFalse();
    assertThat(counts.get("500") / (double) PICKS).isCloseTo(0.5, offset(0.01));
  }

  @Test
  void zeroWeightResolvedBackendIsNotUsable() {
    BackendSelector selector = selector(backendRef("a", 0), backendRef("missing", 1));

    assertThat(selector.hasNoUsableBackend()).isTrue();
  }

  @Test
  void refNamespaceDefaultsToTheRouteNamespace() {
    BackendRef crossNamespace = new BackendRef(BackendRef.AIGIS_GROUP, BackendRef.AIBACKEND_KIND, "x", "other", null, 1);

    assertThat(selector(crossNamespace).pick(new SplittableRandom(1))).map(b -> b.backend().key()).contains("other/x");
    assertThat(selector(backendRef("x", 1)).pick(new SplittableRandom(1))).isEmpty();
  }

  @Test
  void refToAnotherKindNeverResolves() {
    BackendRef service = new BackendRef("", "Service", "a", null, 8080, 1);

    assertThat(selector(service).hasNoUsableBackend()).isTrue();
  }

  @Test
  void singleBackendIsAlwaysPicked() {
    assertThat(tally(selector(backendRef("c", 7)))).containsExactly(Map.entry("c", PICKS));
  }

  @Test
  void routerResultCarriesTheRuleBackends() {
    Router router = Router.compile(listener(), List.of(route("r", rule(prefix("/")))), defaultBackends());

    WeightedBackend picked = router.match(get("/")).orElseThrow().backends().pick(new SplittableRandom(1)).orElseThrow();
    assertThat(picked.backend().key()).isEqualTo("default/backend");
  }

  @Test
  void anXBackendRefFindsItsImpliedBackendNeverTheAIBackendOfTheSameName() {
    Map<String, ResolvedBackend> backends = new HashMap<>(BACKENDS);
    ResolvedBackend implied = backend("default", "xbackend/a");
    backends.put(BackendRef.xbackendKey("default", "a"), implied);
    BackendRef toXBackend = new BackendRef(BackendRef.XBACKEND_GROUP, BackendRef.XBACKEND_KIND, "a", null, null, 1);
    BackendRef wrongPair = new BackendRef(BackendRef.XBACKEND_GROUP, BackendRef.AIBACKEND_KIND, "a", null, null, 1);

    var selector = BackendSelector.resolve(List.of(toXBackend, wrongPair), "default", backends);

    assertThat(selector.all().get(0).backend()).isSameAs(implied);
    assertThat(selector.all().get(1).resolved()).isFalse();
  }
}
