package dev.aigis.app.route;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aigis route}: measure semantic routing. */
@Command(name = "route", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "Evaluate semantic routing (type: SemanticRoute) on labelled requests.",
    subcommands = {RouteEvalCommand.class})
public final class RouteCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: eval");
  }
}
