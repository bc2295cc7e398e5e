package dev.aigis.app;

import dev.aigis.app.guard.GuardCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aigis} command line. */
@Command(
    name = "aigis",
    mixinStandardHelpOptions = true,
    version = "aigis 0.1.0",
    description = "Kubernetes-native AI gateway.",
    subcommands = {RunCommand.class, ValidateCommand.class, ExtProcCommand.class, KeysCommand.class,
        AuditCommand.class, ControllerCommand.class, CrdsCommand.class, GuardCommand.class,
        dev.aigis.app.cache.CacheCommand.class,
        dev.aigis.app.route.RouteCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int exit = new CommandLine(new Main()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
