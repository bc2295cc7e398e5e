package dev.aigis.app;

import dev.aigis.kubernetes.Crds;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code aigis crds}: prints the aigis.dev CustomResourceDefinitions, for {@code aigis crds | kubectl apply -f -}. */
@Command(name = "crds", mixinStandardHelpOptions = true, description = "Print the aigis.dev CustomResourceDefinitions as YAML.")
final class CrdsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.out.print(Crds.yaml());
    return 0;
  }
}
