package dev.aigis.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of a resource file through loading and compilation: any text gives a
 * snapshot or errors that name the file (and, when inside a resource or from the YAML reader, the
 * line); never another exception. Corpus: {@code ConfigLoaderFuzzTestInputs/load}, the examples/
 * files, YAML oddities (anchors, billion laughs, deep nesting, tags) and what fuzzing kept.
 */
class ConfigLoaderFuzzTest {

  private static final String FILE = "fuzz.yaml";

  @FuzzTest
  void load(byte[] file) {
    String yaml = new String(file, StandardCharsets.UTF_8);

    ConfigLoader.LoadResult loaded = ConfigLoader.loadText(FILE, yaml);
    assertThat(loaded.errors()).allSatisfy(error -> {
      assertLocated(error);
      assertThat(error.line()).as(error.format()).isPositive();
    });
    try {
      ConfigPipeline.compileText(FILE, yaml, ConfigFixtures.ENV);
      assertThat(loaded.ok()).isTrue();
    } catch (ConfigException e) {
      assertThat(e.errors()).isNotEmpty().allSatisfy(error -> {
        assertLocated(error);
        if (error.resource() != null) {
          assertThat(error.line()).as(error.format()).isPositive();
        }
      });
    }
  }

  private static void assertLocated(ConfigError error) {
    // "<no resources>" stands for the file set when nothing was read (an empty file, say).
    assertThat(error.file()).isIn(FILE, "<no resources>");
    assertThat(error.message()).as(error.format()).isNotBlank();
    assertThat(error.format()).startsWith(error.file() + (error.line() > 0 ? ":" + error.line() : "") + ": ");
  }
}
