package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How much of the machine's CPU went to processes other than the harness and its descendants
 * between two snapshots: on a shared 2-core box a build running beside the benchmark skews every
 * figure, and the load average (a decaying mean) says so too late and too vaguely.
 *
 * <p>Machine time is user + nice + system + irq + softirq from {@code /proc/stat}: the kernel
 * charges a tick spent in softirq (most of loopback networking) to the process it interrupted as
 * stime, but lists it as softirq, not system, in {@code /proc/stat}. Ours is utime + stime +
 * cutime + cstime of this process and of each live descendant (the gateway, nginx masters and
 * workers, the running wrk); a child that ended and was reaped moved its time into our cutime,
 * so it is neither lost nor counted twice. Steal is nobody's. Linux only; elsewhere {@link #now}
 * is empty.
 */
record CpuShare(long machineBusy, long machineTotal, long ours) {

  static Optional<CpuShare> now() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long busy = 0;
      long total = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        long v = Long.parseLong(cpu[i]);
        total += v;
        busy += i <= 3 || i == 6 || i == 7 ? v : 0;
      }
      long ours = ticks(ProcessHandle.current().pid());
      for (ProcessHandle d : ProcessHandle.current().descendants().toList()) {
        ours += ticks(d.pid());
      }
      return Optional.of(new CpuShare(busy, total, ours));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Others' share (percent) over the next {@code millis}; NaN where {@code /proc} is not readable. */
  static double sample(long millis) throws InterruptedException {
    Optional<CpuShare> start = now();
    Thread.sleep(millis);
    return since(start);
  }

  /** Others' share (percent) from {@code start} until now; NaN when either snapshot is missing. */
  static double since(Optional<CpuShare> start) {
    return start.flatMap(s -> now().map(e -> othersPercent(s, e))).orElse(Double.NaN);
  }

  /**
   * Waits until others take at most {@code limit} percent in each of three consecutive seconds (a
   * build beside us pauses for a second now and then), for at most {@code maxSeconds}; says on
   * stderr that it waits, and goes on regardless after the bound.
   */
  static void awaitQuiet(double limit, int maxSeconds) throws InterruptedException {
    int quiet = 0;
    for (int waited = 0; waited < maxSeconds && quiet < 3; waited++) {
      double others = sample(1_000);
      if (Double.isNaN(others)) {
        return;
      }
      quiet = others <= limit ? quiet + 1 : 0;
      if (quiet == 0 && waited % 15 == 0) {
        System.err.printf(Locale.ROOT, "aigis bench wrk: other processes take %.0f%% of the CPU; waiting%n", others);
      }
    }
  }

  /** Percentage of all CPU time between the two snapshots spent by other processes. */
  static double othersPercent(CpuShare start, CpuShare end) {
    long total = end.machineTotal() - start.machineTotal();
    long others = (end.machineBusy() - start.machineBusy()) - (end.ours() - start.ours());
    return total <= 0 ? 0 : Math.max(0, 100.0 * others / total);
  }

  /** utime + stime + cutime + cstime of one process; 0 when it has gone meanwhile. */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // after "pid (comm) " the state is f[0], so field 14 (utime) is f[11] ... field 17 (cstime) f[14]
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
