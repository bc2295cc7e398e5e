package dev.aigis.app;

import dev.aigis.core.identity.ApiKeys;
import dev.aigis.model.Names;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigis keys create}: a new API key. The key goes to standard error once, for the person at
 * the terminal; standard output gets only its hash (or, with {@code -o yaml}, the Secret to apply),
 * so {@code aigis keys create ... -o yaml | kubectl apply -f -} never puts the key in a pipe or a
 * file.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Create an API key: print it once on stderr, and its hash (or with -o yaml its Secret) on stdout."})
final class KeysCreateCommand implements Callable<Integer> {

  private final InstantSource clock;
  private final SecureRandom random;

  @Spec CommandSpec spec;

  @Option(names = "--name", required = true, description = "Key name (a DNS label); the Secret is aigis-key-NAME.")
  String name;

  @Option(names = "--team", description = "Team the key belongs to.")
  String team;

  @Option(names = "--models", split = ",", paramLabel = "GLOB",
      description = "Models the key may use, comma-separated; * matches any run, e.g. gpt-4o-mini,claude-*.")
  List<String> models = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label policies may match (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--expires", converter = Expiry.class, paramLabel = "DURATION",
      description = "Lifetime from now, e.g. 30d, 12h, 1d12h.")
  Duration expires;

  @Option(names = {"-n", "--namespace"}, description = "Namespace of the Secret.")
  String namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml: print the Secret manifest.")
  String output;

  KeysCreateCommand() {
    this(InstantSource.system(), new SecureRandom());
  }

  KeysCreateCommand(InstantSource clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Integer call() {
    validate();
    String key = ApiKeys.generate(random);
    String sha256 = ApiKeys.sha256Hex(key);
    Instant expiry = expires == null ? null : clock.instant().plus(expires).truncatedTo(ChronoUnit.SECONDS);

    PrintWriter err = spec.commandLine().getErr();
    err.println("API key " + name + ":");
    err.println(key);
    err.println("It will not be shown again: store it now. Aigis keeps only its sha256.");
    err.flush();

    PrintWriter out = spec.commandLine().getOut();
    if (output == null) {
      out.println("sha256: " + sha256);
    } else {
      out.print(new ApiKeySecretManifest(name, namespace, sha256, team, models, labels, expiry).yaml());
    }
    out.flush();
    return 0;
  }

  private void validate() {
    if (!Names.isDnsLabel(name)) {
      fail("--name must be a DNS label (at most 63 lowercase letters, digits and '-'): " + name);
    }
    if (namespace != null && !Names.isDnsLabel(namespace)) {
      fail("--namespace must be a DNS label: " + namespace);
    }
    if (team != null && team.isBlank()) {
      fail("--team must not be blank");
    }
    for (String model : models) {
      if (model.isBlank()) {
        fail("--models must not contain empty entries");
      }
    }
    models = models.stream().map(String::strip).toList();
    for (var label : labels.entrySet()) {
      String both = label.getKey() + label.getValue();
      if (label.getKey().isBlank() || both.indexOf(',') >= 0 || both.indexOf('=') >= 0) {
        fail("--label must be KEY=VALUE with a non-empty KEY and no ',' or '=' inside: " + label.getKey());
      }
    }
    if (output != null && !output.equals("yaml")) {
      fail("--output supports only yaml");
    }
  }

  private void fail(String message) {
    throw new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
