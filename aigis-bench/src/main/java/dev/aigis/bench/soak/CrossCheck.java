package dev.aigis.bench.soak;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The driver's count of each status the gateway should have recorded, against the gateway's
 * {@code aigis_requests_total} (between a scrape before and one after the traffic) and its access
 * log. A difference means a request the gateway counted differently from what the client saw, or
 * not at all.
 *
 * @param rows one per status any of the three has
 * @param driverUnknown answers for which the client cannot tell the gateway's status (unexplained
 *     ones that failed mid-stream or had no response); the gateway counted them somewhere
 */
record CrossCheck(List<Row> rows, long driverUnknown) {

  record Row(int status, long driver, long metrics, long accessLog) {
    boolean agrees() {
      return driver == metrics && metrics == accessLog;
    }
  }

  /**
   * Metrics and access log agree on every status, and the driver's counts fall short of them only
   * by the answers it could not place, in total.
   */
  boolean agrees() {
    long shortfall = 0;
    for (Row row : rows) {
      if (row.metrics() != row.accessLog() || row.driver() > row.metrics()) {
        return false;
      }
      shortfall += row.metrics() - row.driver();
    }
    return shortfall == driverUnknown;
  }

  static CrossCheck of(List<OutcomeTally.Count> counts, Map<Integer, Long> metrics, Map<Integer, Long> accessLog) {
    Map<Integer, Long> driver = new TreeMap<>();
    long unknown = 0;
    for (OutcomeTally.Count c : counts) {
      OptionalInt status = OutcomeClassifier.gatewayStatus(c.kind(), c.fault(), c.outcome());
      if (status.isPresent()) {
        driver.merge(status.getAsInt(), c.count(), Long::sum);
      } else {
        unknown += c.count();
      }
    }
    var statuses = new TreeSet<Integer>();
    statuses.addAll(driver.keySet());
    statuses.addAll(metrics.keySet());
    statuses.addAll(accessLog.keySet());
    List<Row> rows = statuses.stream().map(s -> new Row(s, driver.getOrDefault(s, 0L), metrics.getOrDefault(s, 0L),
        accessLog.getOrDefault(s, 0L))).toList();
    return new CrossCheck(rows, unknown);
  }
}
