package dev.aigis.app.guard;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aigis guard}: measure and train the guardrail detectors. */
@Command(name = "guard", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "Evaluate and train guardrail detectors (injection, output, pii).",
    subcommands = {GuardEvalCommand.class, GuardTrainCommand.class})
public final class GuardCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: eval or train");
  }
}
