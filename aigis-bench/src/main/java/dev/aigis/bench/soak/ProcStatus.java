package dev.aigis.bench.soak;

/**
 * The two lines of {@code /proc/PID/status} the soak samples: resident memory ({@code VmRSS},
 * which the kernel gives in kB) and the thread count ({@code Threads}).
 */
record ProcStatus(long rssBytes, int threads) {

  /** @throws IllegalArgumentException when either line is missing (a zombie has no VmRSS) */
  static ProcStatus parse(String status) {
    long rssKb = -1;
    int threads = -1;
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        rssKb = Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring("Threads:".length()).strip());
      }
    }
    if (rssKb < 0 || threads < 0) {
      throw new IllegalArgumentException("no VmRSS or Threads line in /proc/PID/status");
    }
    return new ProcStatus(rssKb * 1024, threads);
  }
}
