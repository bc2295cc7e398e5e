package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Programs the harness runs but does not ship (wrk, nginx): found on the {@code PATH} or in
 * {@code /usr/sbin}, else installed with {@code apt-get install -y}, once, with an {@code apt-get
 * update} and a second try when the package lists are missing or stale.
 */
final class DebianTools {

  private static final long APT_TIMEOUT_MINUTES = 10;

  private DebianTools() {}

  static Optional<Path> which(String binary) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin"));
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, binary))
        .filter(Files::isExecutable).findFirst();
  }

  /**
   * Returns the path of each binary (key: binary, value: the Debian package holding it),
   * installing the missing ones first. Fails with what to do by hand when that is impossible.
   */
  static Map<String, Path> require(Map<String, String> packageOf, Path logDir)
      throws IOException, InterruptedException {
    List<String> missing = packageOf.keySet().stream().filter(b -> which(b).isEmpty())
        .map(packageOf::get).distinct().toList();
    if (!missing.isEmpty()) {
      String by = "apt-get install -y " + String.join(" ", missing);
      if (which("apt-get").isEmpty()) {
        throw new IOException(String.join(", ", missing) + " not installed and no apt-get here; install by hand");
      }
      System.err.println("aigis bench: installing " + String.join(", ", missing) + " (" + by + ")...");
      Path log = logDir.resolve("apt-get.log");
      List<String> install = new ArrayList<>(List.of("install", "-y"));
      install.addAll(missing);
      int status = apt(log, install);
      if (status != 0) {
        apt(log, List.of("update"));
        status = apt(log, install);
      }
      if (status != 0) {
        throw new IOException("could not install " + String.join(", ", missing) + " (`" + by + "` exited "
            + status + "; see " + log + "). Install them by hand, as root: apt-get update && " + by);
      }
    }
    Map<String, Path> paths = new LinkedHashMap<>();
    for (String binary : packageOf.keySet()) {
      paths.put(binary, which(binary).orElseThrow(
          () -> new IOException(binary + " still missing after installing " + packageOf.get(binary))));
    }
    return paths;
  }

  private static int apt(Path log, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("apt-get"));
    command.addAll(args);
    var builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = builder.start();
    if (!p.waitFor(APT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
