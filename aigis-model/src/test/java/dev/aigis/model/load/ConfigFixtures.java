package dev.aigis.model.load;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs the whole pipeline on YAML text and returns the formatted errors. */
public final class ConfigFixtures {

  /** A Gateway with one HTTP listener and a builtin backend; appended after the document under test. */
  public static final String BASE = """
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: aigis
        listeners:
        - name: http
          port: 8080
          protocol: HTTP
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata:
        name: echo
      spec:
        schema: OpenAI
        endpoint:
          builtin: Echo
      """;

  public static final Function<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-env-secret")::get;

  private ConfigFixtures() {}

  /** Formatted errors for {@code yaml} (file name bad.yaml); empty when it compiles. */
  public static List<String> errors(String yaml) {
    try {
      ConfigPipeline.compileText("bad.yaml", yaml, ENV);
      return List.of();
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::format).toList();
    }
  }
}
