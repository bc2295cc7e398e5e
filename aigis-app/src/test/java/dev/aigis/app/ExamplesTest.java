package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The commented examples stay true: each compiles, except the HTTPS one until a real certificate is filled in. */
class ExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-example", "ANTHROPIC_API_KEY", "sk-ant-example");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("https.yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleCompiles(Path example) throws ConfigException {
    var snapshot = ConfigPipeline.loadAndCompile(List.of(example), ENV::get);
    assertThat(snapshot.listeners()).isNotEmpty();
    // Expressions (PayloadProcessor and policy CEL) compile too, as `aigis validate` checks them.
    try (var channels = new dev.aigis.extproc.ExtProcChannels()) {
      new dev.aigis.server.processing.ProcessingCompiler(channels).compile(snapshot);
    }
  }

  @Test
  void httpsExampleIsRefusedUntilItsPlaceholderCertificateIsReplaced() {
    assertThatThrownBy(() -> ConfigPipeline.loadAndCompile(List.of(EXAMPLES.resolve("https.yaml")), ENV::get))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::message)
            .containsExactly("Secret default/aigis-tls: tls.crt is not a PEM certificate chain"));
  }

  @Test
  void embeddedDefaultsCompileWithAndWithoutAnOpenAiKey() throws ConfigException {
    var echoOnly = ConfigPipeline.compileText(EmbeddedConfig.FILE_NAME, EmbeddedConfig.yaml(8080, k -> null), k -> null);
    assertThat(echoOnly.backends()).containsOnlyKeys("default/echo");
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-x", "OPENAI_BASE_URL", "http://127.0.0.1:9999/v1/");
    var withOpenAi = ConfigPipeline.compileText(EmbeddedConfig.FILE_NAME, EmbeddedConfig.yaml(8080, env::get), env::get);
    assertThat(withOpenAi.backends()).containsOnlyKeys("default/echo", "default/openai");
    assertThat(withOpenAi.backends().get("default/openai").apiKey()).isEqualTo("sk-x");
    assertThat(EmbeddedConfig.openAiRoot("https://api.openai.com/v1")).isEqualTo("https://api.openai.com");
    assertThat(EmbeddedConfig.openAiRoot(null)).isEqualTo("https://api.openai.com");
  }
}
