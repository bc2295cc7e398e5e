package dev.aigis.app.cache;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aigis cache}: measure the semantic cache and train its paraphrase check. */
@Command(name = "cache", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "Evaluate the semantic response cache on paraphrase pairs and train its paraphrase check.",
    subcommands = {CacheEvalCommand.class, CacheTrainCommand.class})
public final class CacheCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: eval or train");
  }
}
