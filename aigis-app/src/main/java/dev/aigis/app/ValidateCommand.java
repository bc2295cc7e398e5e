package dev.aigis.app;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.server.processing.ProcessingCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aigis validate -f FILE...}: checks resources without serving them. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check configuration files; exit 1 listing every problem as file:line: Kind/name: field: message.")
final class ValidateCommand implements Callable<Integer> {

  @Option(names = {"-f", "--file"}, required = true, description = "YAML file(s) of resources (repeatable).")
  List<Path> files;

  @Override
  public Integer call() {
    try {
      ConfigSnapshot snapshot = ConfigPipeline.loadAndCompile(files, System::getenv);
      try (var channels = new ExtProcChannels()) {
        new ProcessingCompiler(channels).compile(snapshot); // CEL expressions compile here
      }
      for (ConfigError warning : snapshot.warnings()) {
        System.err.println("warning: " + warning.format());
      }
      System.out.printf("valid: %d resources, %d listeners, %d routes, %d backends%n",
          snapshot.resources().size(), snapshot.listeners().size(), snapshot.routes().size(), snapshot.backends().size());
      return 0;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(error.format());
      }
      System.err.printf("invalid: %d error%s%n", e.errors().size(), e.errors().size() == 1 ? "" : "s");
      return 1;
    }
  }
}
