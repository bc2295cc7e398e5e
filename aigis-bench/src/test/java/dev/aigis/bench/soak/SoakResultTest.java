package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakResultTest {

  private static final SoakOptions TEN_MINUTES = SoakOptions.parse(new String[] {"soak"});
  private static final SoakDriver.Summary CLEAN_DRIVER = new SoakDriver.Summary(1_000, 0, 0, 0);
  private static final GatewayLog QUIET_LOG = new GatewayLog(Map.of(200, 1_000L), 0, 0, List.of());
  private static final GcPauses GC = new GcPauses(List.of(), List.of(), Map.of());
  private static final List<OutcomeTally.Count> ALL_OK = List.of(new OutcomeTally.Count(TrafficKind.OPENAI_PLAIN,
      Fault.NONE, new Outcome(200, Ending.COMPLETE), 1_000, true, null));
  private static final CrossCheck AGREES = CrossCheck.of(ALL_OK, Map.of(200, 1_000L), Map.of(200, 1_000L));

  @Test
  void aCleanRunWithFlatResourcesPasses() {
    assertThat(result(ALL_OK, samples(61, 0), AGREES, null).verdict()).isEqualTo(SoakResult.Verdict.PASSED);
  }

  @Test
  void oneUnexplainedAnswerFails() {
    List<OutcomeTally.Count> counts = new ArrayList<>(ALL_OK);
    counts.add(new OutcomeTally.Count(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(502, Ending.COMPLETE), 1,
        false, "502"));

    SoakResult r = result(counts, samples(61, 0), AGREES, null);
    assertThat(r.unexplained()).isEqualTo(1);
    assertThat(r.verdict()).isEqualTo(SoakResult.Verdict.FAILED);
  }

  @Test
  void aGrowingHeapFails() {
    // +1 MiB a sample: 44 MiB between the windows, over the 16 MiB allowed
    SoakResult r = result(ALL_OK, samples(61, 1 << 20), AGREES, null);

    assertThat(r.verdicts().get(ResourceMetric.HEAP).result()).isEqualTo(Flatness.Result.GROWING);
    assertThat(r.verdict()).isEqualTo(SoakResult.Verdict.FAILED);
  }

  @Test
  void aGatewayThatExitedOrCountersThatDifferFail() {
    assertThat(result(ALL_OK, samples(61, 0), AGREES, "OutOfMemoryError").verdict())
        .isEqualTo(SoakResult.Verdict.FAILED);
    CrossCheck differs = CrossCheck.of(ALL_OK, Map.of(200, 999L), Map.of(200, 999L));
    assertThat(result(ALL_OK, samples(61, 0), differs, null).verdict()).isEqualTo(SoakResult.Verdict.FAILED);
  }

  @Test
  void aCleanRunTooShortToJudgeIsIncomplete() {
    assertThat(result(ALL_OK, samples(8, 0), AGREES, null).verdict()).isEqualTo(SoakResult.Verdict.INCOMPLETE);
  }

  private static SoakResult result(List<OutcomeTally.Count> counts, List<Sample> samples, CrossCheck check,
      String exit) {
    return new SoakResult(TEN_MINUTES, 600, CLEAN_DRIVER, counts, List.of(), samples, check, QUIET_LOG, GC, exit);
  }

  /** {@code n} samples 10 s apart, the heap growing by {@code heapStep} bytes a sample. */
  private static List<Sample> samples(int n, long heapStep) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      var usage = new ResourceUsage(300L << 20, (40L << 20) + i * heapStep, 400L << 20, 25, 150,
          new Connections(20, 16, 0));
      samples.add(new Sample(i * 10, usage, i * 100L, 0, 2_000, 9_000, true));
    }
    return samples;
  }
}
