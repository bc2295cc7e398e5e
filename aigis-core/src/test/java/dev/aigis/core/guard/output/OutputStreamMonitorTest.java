package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.guard.StreamTextFilter.Release;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputStreamMonitorTest {

  /** Rules flag "BOOM" in the tail; the classifier flags a window holding "HARM"; every call recorded. */
  static final class FakeJudge implements OutputJudge {
    final List<String> windows = new ArrayList<>();
    final List<String> befores = new ArrayList<>();
    final List<String> tails = new ArrayList<>();

    @Override
    public int windowChars() {
      return 64;
    }

    @Override
    public String ruleBlock(String tail) {
      tails.add(tail);
      return tail.contains("BOOM") ? "weapons" : null;
    }

    @Override
    public String judge(String window, String before) {
      windows.add(window);
      befores.add(before);
      return window.contains("HARM") ? "violence" : null;
    }
  }

  private final FakeJudge judge = new FakeJudge();
  private final OutputStreamMonitor monitor = new OutputStreamMonitor(judge, 20);

  @Test
  void benignTextIsReleasedInOrderWithLessThanTheStrideHeld() {
    List<String> deltas = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      deltas.add("word" + i + " ");
    }
    List<String> released = new ArrayList<>();
    int pushed = 0;
    for (String delta : deltas) {
      pushed += delta.length();
      Release r = monitor.push(delta);
      assertThat(r.blocked()).isNull();
      released.addAll(r.texts());
      assertThat(pushed - String.join("", released).length()).isLessThan(20);
    }
    Release last = monitor.finish();
    assertThat(last.blocked()).isNull();
    released.addAll(last.texts());
    assertThat(released).containsExactlyElementsOf(deltas);
  }

  @Test
  void harmfulTextSplitOverDeltasIsBlockedBeforeItsDeltasGoOut() {
    List<String> released = new ArrayList<>();
    for (String delta : List.of("The answer ", "is simple, ", "first you ")) {
      released.addAll(monitor.push(delta).texts());
    }
    assertThat(String.join("", released)).isEqualTo("The answer is simple, ");
    Release r = null;
    for (String delta : List.of("H", "A", "R", "M", " them", " all")) {
      r = monitor.push(delta);
      if (r.blocked() != null) {
        break;
      }
      released.addAll(r.texts());
    }
    assertThat(r.blocked()).isEqualTo("violence");
    assertThat(r.texts()).isEmpty();
    assertThat(String.join("", released)).isEqualTo("The answer is simple, ");
    assertThat(monitor.push("more").blocked()).isEqualTo("violence");
    assertThat(monitor.finish()).isEqualTo(Release.block("violence"));
  }

  @Test
  void aRuleHitBlocksOnTheDeltaThatCompletesIt() {
    assertThat(monitor.push("Mix it and then BO").texts()).isEmpty();
    Release r = monitor.push("OM");
    assertThat(r).isEqualTo(Release.block("weapons"));
    assertThat(judge.windows).isEmpty();
  }

  @Test
  void finishJudgesTheUnjudgedRestBeforeReleasingIt() {
    assertThat(monitor.push("short HARM").texts()).isEmpty();
    assertThat(monitor.finish()).isEqualTo(Release.block("violence"));

    var other = new OutputStreamMonitor(judge, 20);
    assertThat(other.push("all ").texts()).isEmpty();
    assertThat(other.push("fine").texts()).isEmpty();
    assertThat(other.finish()).isEqualTo(Release.of(List.of("all ", "fine")));
    assertThat(judge.windows).last().isEqualTo("all fine");
  }

  @Test
  void finishWithNothingUnjudgedReleasesWithoutAnotherCheck() {
    assertThat(monitor.push("exactly twenty chars").texts()).containsExactly("exactly twenty chars");
    int checks = judge.windows.size();
    assertThat(monitor.push("").texts()).containsExactly("");
    assertThat(monitor.finish()).isEqualTo(Release.of(List.of()));
    assertThat(judge.windows).hasSize(checks);
  }

  @Test
  void aDeltaLongerThanTheStrideIsJudgedAtOnce() {
    String delta = "x".repeat(30) + " tail";
    assertThat(monitor.push(delta).texts()).containsExactly(delta);
    assertThat(judge.windows).containsExactly(delta);
  }

  @Test
  void theClassifierReadsTheRecentWindowFromAWordStartWithBoundedContext() {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      String delta = "w" + (i % 10) + " ";
      all.append(delta);
      assertThat(monitor.push(delta).blocked()).isNull();
    }
    assertThat(monitor.finish().blocked()).isNull();
    String window = judge.windows.getLast();
    assertThat(window.length()).isLessThanOrEqualTo(64);
    assertThat(all.toString()).endsWith(window);
    assertThat(window).startsWith("w");
    assertThat(judge.befores.getLast()).hasSize(OutputFeatures.CONTEXT);
    assertThat(all.toString()).endsWith(judge.befores.getLast() + window);
    assertThat(judge.tails.getLast().length()).isLessThanOrEqualTo(OutputStreamMonitor.RULE_LOOKBACK + 3);
  }

  @Test
  void aDeltaLongerThanTheWindowIsJudgedWhole() {
    String delta = "HARM first, " + "then words ".repeat(10);
    assertThat(monitor.push(delta)).isEqualTo(Release.block("violence"));
    assertThat(judge.windows).hasSize(2);
    assertThat(judge.windows.getLast()).startsWith("HARM");
  }

  @Test
  void strideMustFitTheWindow() {
    assertThatThrownBy(() -> new OutputStreamMonitor(judge, 65)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutputStreamMonitor(judge, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
