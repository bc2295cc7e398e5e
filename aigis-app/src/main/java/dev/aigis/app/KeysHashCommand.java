package dev.aigis.app;

import dev.aigis.core.identity.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aigis keys hash KEY}: the SHA-256 an {@code aigis.dev/api-key} Secret stores for a key. */
@Command(name = "hash", mixinStandardHelpOptions = true,
    description = "Print the sha256 (hex) of an API key, as its Secret stores it.")
final class KeysHashCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "KEY",
      description = "The key, or - to read it from the first line of standard input (keeps it out of shell history).")
  String key;

  @Override
  public Integer call() throws IOException {
    String value = key;
    if (value.equals("-")) {
      value = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (value == null || value.isBlank()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no key on standard input");
      }
      value = value.strip();
    }
    spec.commandLine().getOut().println(ApiKeys.sha256Hex(value));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
