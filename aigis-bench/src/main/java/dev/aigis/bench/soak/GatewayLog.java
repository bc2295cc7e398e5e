package dev.aigis.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway wrote during the run (its stdout and stderr share one file): access-log lines,
 * one JSON object per request, counted by status; and the operational log's warnings and errors,
 * which a clean soak should not have.
 *
 * @param accessByStatus access-log lines per status
 * @param warnings operational WARN lines
 * @param errors operational ERROR lines
 * @param firstProblems the first few WARN and ERROR lines, as written
 */
record GatewayLog(Map<Integer, Long> accessByStatus, long warnings, long errors, List<String> firstProblems) {

  static final int PROBLEMS_KEPT = 5;
  private static final Pattern ACCESS_STATUS = Pattern.compile("\"status\":(\\d+)");
  /** {@code 14:04:42.747 WARN  logger - message} */
  private static final Pattern OPERATIONAL = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) ");

  static GatewayLog summarize(Iterable<String> lines) {
    Map<Integer, Long> byStatus = new TreeMap<>();
    long warnings = 0;
    long errors = 0;
    List<String> problems = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("{\"time\"")) {
        Matcher m = ACCESS_STATUS.matcher(line);
        if (m.find()) {
          byStatus.merge(Integer.parseInt(m.group(1)), 1L, Long::sum);
        }
        continue;
      }
      Matcher m = OPERATIONAL.matcher(line);
      if (!m.find()) {
        continue;
      }
      if (m.group(1).equals("WARN")) {
        warnings++;
      } else {
        errors++;
      }
      if (problems.size() < PROBLEMS_KEPT) {
        problems.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
      }
    }
    return new GatewayLog(byStatus, warnings, errors, List.copyOf(problems));
  }
}
