package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How much of the machine's CPU went to processes other than the harness and its children over a
 * run: on a shared 2-core box a build running beside the benchmark skews every figure, and the
 * load average (a decaying mean) says so too late and too vaguely.
 *
 * <p>Machine time is user + nice + system from {@code /proc/stat}; the harness's own is its
 * utime + stime plus cutime + cstime from {@code /proc/self/stat}, which hold the children it has
 * reaped (wrk runs, the gateways, nginx with its workers) once they have ended. So take the end
 * snapshot after every child has stopped. Interrupt and softirq time (much of loopback networking)
 * is in neither, so it is left out of both.
 */
record CpuShare(long machineBusy, long machineTotal, long own) {

  static Optional<CpuShare> now() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long busy = 0;
      long total = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        long v = Long.parseLong(cpu[i]);
        total += v;
        if (i <= 3) {
          busy += v; // user, nice, system
        }
      }
      String self = Files.readString(Path.of("/proc/self/stat"));
      String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is f[0], so utime (field 14) is f[11] ... cstime (17) is f[14]
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return Optional.of(new CpuShare(busy, total, own));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Percentage of all CPU time between the two snapshots spent by other processes. */
  static double othersPercent(CpuShare start, CpuShare end) {
    long total = end.machineTotal() - start.machineTotal();
    long others = (end.machineBusy() - start.machineBusy()) - (end.own() - start.own());
    return total <= 0 ? 0 : Math.max(0, 100.0 * others / total);
  }
}
