package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a report was measured on, from {@code /proc}; "unknown" where that is not readable. */
public final class Machine {

  private Machine() {}

  public static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  public static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
          .map(l -> {
            long kb = Long.parseLong(l.replaceAll("\\D", ""));
            return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
          }).findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The rows every report's machine table starts with: CPUs, CPU model, memory, OS and JDK. */
  public static String tableRows() {
    return "| CPUs (`nproc`) | " + Runtime.getRuntime().availableProcessors() + " |\n"
        + "| CPU model | " + cpuModel() + " |\n"
        + "| memory | " + memory() + " |\n"
        + "| OS | " + System.getProperty("os.name") + ' ' + System.getProperty("os.version") + " |\n"
        + "| JDK | " + System.getProperty("java.vm.vendor") + ' ' + System.getProperty("java.runtime.version") + " |\n";
  }
}
