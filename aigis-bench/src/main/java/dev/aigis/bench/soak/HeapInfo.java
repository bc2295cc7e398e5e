package dev.aigis.bench.soak;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap as {@code jcmd PID GC.heap_info} prints it: one line per generation with {@code total
 * NK, used NK} (Parallel, Serial), or one line for the whole heap with {@code committed NK, used
 * NK} (G1); the indented lines below them give percentages and are skipped. Sums over generations.
 */
record HeapInfo(long usedBytes, long committedBytes) {

  private static final Pattern GENERATION = Pattern.compile("\\b(?:total|committed) (\\d+)K, used (\\d+)K");

  /** @throws IllegalArgumentException when no generation line is found */
  static HeapInfo parse(String heapInfo) {
    long used = 0;
    long committed = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = GENERATION.matcher(line);
      if (m.find()) {
        committed += Long.parseLong(m.group(1)) * 1024;
        used += Long.parseLong(m.group(2)) * 1024;
        found = true;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no heap in GC.heap_info output: " + heapInfo.strip());
    }
    return new HeapInfo(used, committed);
  }
}
