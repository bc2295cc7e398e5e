package dev.aigis.core.guard.processor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The findings of one exchange's guards. Written from worker threads and read on the exchange's
 * thread (response header, access log, audit), hence synchronised.
 */
public final class GuardFindings {

  private final List<GuardFinding> findings = new ArrayList<>(2);

  public synchronized void add(GuardFinding finding) {
    findings.add(finding);
  }

  public synchronized List<GuardFinding> all() {
    return List.copyOf(findings);
  }

  /** The guards whose finding was {@code flagged}, in order, each once: the response header's value. */
  public synchronized Set<String> flagged() {
    Set<String> guards = new LinkedHashSet<>();
    for (GuardFinding finding : findings) {
      if (finding.decision().equals("flagged")) {
        guards.add(finding.guard());
      }
    }
    return guards;
  }
}
