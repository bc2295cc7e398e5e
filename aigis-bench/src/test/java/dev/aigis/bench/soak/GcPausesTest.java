package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcPausesTest {

  // -Xlog:gc of a ParallelGC gateway (JDK 25)
  private static final List<String> LOG = """
      [0.011s][info][gc] Using Parallel
      [2.402s][info][gc] GC(0) Pause Young (Allocation Failure) 64M->12M(245M) 9.513ms
      [6.248s][info][gc] GC(2) Pause Full (Metadata GC Threshold) 66M->43M(309M) 207.565ms
      [13.971s][info][gc] GC(3) Pause Full (Diagnostic Command) 89M->39M(309M) 186.255ms
      [20.100s][info][gc] GC(4) Pause Young (Allocation Failure) 103M->41M(309M) 6.022ms
      [25.165s][info][gc] GC(5) Pause Full (Diagnostic Command) 118M->40M(309M) 345.928ms
      [30.000s][info][gc] GC(6) Pause Young (Allocation Failure) 105M->42M(437M) 12.104ms
      """.lines().toList();

  @Test
  void pausesAreSortedByKindAndCause() {
    GcPauses gc = GcPauses.parse(LOG);

    assertThat(gc.youngMillis()).containsExactly(9.513, 6.022, 12.104);
    assertThat(gc.sampledFullMillis()).containsExactly(186.255, 345.928);
    assertThat(gc.otherFull()).containsExactly(Map.entry("Metadata GC Threshold", 1));
  }

  @Test
  void pausesAreDescribedByCountMedianAndMax() {
    GcPauses gc = GcPauses.parse(LOG);

    assertThat(GcPauses.describe(gc.youngMillis(), "young pauses")).isEqualTo("3 young pauses (median 9.5 ms, max 12.1 ms)");
    assertThat(GcPauses.describe(List.of(), "young pauses")).isEqualTo("no young pauses");
  }
}
