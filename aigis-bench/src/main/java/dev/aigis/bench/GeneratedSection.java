package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A part of {@code docs/benchmarks.md} that one harness command owns, between two HTML comments:
 * each run replaces only its own part, and {@code ./aigis bench}, which rewrites the rest of the
 * file, carries every such part over ({@link #keepAll}). Each section has its own machine and date.
 *
 * @param begin the opening comment, the first line of the section
 * @param end the closing comment, the last line of the section
 */
public record GeneratedSection(String begin, String end) {

  public static final GeneratedSection WRK = new GeneratedSection(
      "<!-- BEGIN ./aigis bench wrk: generated, replaced on each run -->", "<!-- END ./aigis bench wrk -->");
  public static final GeneratedSection SOAK = new GeneratedSection(
      "<!-- BEGIN ./aigis bench soak: generated, replaced on each run -->", "<!-- END ./aigis bench soak -->");

  /** The policy-admission JMH results, written by hand from an {@code AdmissionBenchmark} run. */
  public static final GeneratedSection POLICY_JMH = new GeneratedSection(
      "<!-- BEGIN AdmissionBenchmark: from a JMH run, kept by ./aigis bench -->", "<!-- END AdmissionBenchmark -->");

  /** Every section, in the order {@link #keepAll} appends them. */
  static final List<GeneratedSection> ALL = List.of(WRK, SOAK, POLICY_JMH);

  /** {@code existing} with this section replaced by {@code section} (markers included), or with it appended. */
  public String replaceIn(String existing, String section) {
    int from = existing.indexOf(begin);
    int to = existing.indexOf(end);
    if (from >= 0 && to > from) {
      return existing.substring(0, from) + section.strip() + existing.substring(to + end.length());
    }
    String base = existing.isBlank() ? "# Benchmarks\n" : existing.stripTrailing() + "\n";
    return base + "\n" + section.strip() + "\n";
  }

  /** This section as found in {@code text}, markers included. */
  Optional<String> findIn(String text) {
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    return from >= 0 && to > from ? Optional.of(text.substring(from, to + end.length())) : Optional.empty();
  }

  /** {@code document} followed by every generated section found in {@code file}. */
  static String keepAll(Path file, String document) throws IOException {
    String old = Files.exists(file) ? Files.readString(file) : "";
    var out = new StringBuilder(document.stripTrailing()).append('\n');
    for (GeneratedSection section : ALL) {
      section.findIn(old).ifPresent(s -> out.append('\n').append(s).append('\n'));
    }
    return out.toString();
  }
}
