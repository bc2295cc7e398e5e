package dev.aigis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedSectionTest {

  private static final String WRK = GeneratedSection.WRK.begin() + "\nwrk table\n" + GeneratedSection.WRK.end();
  private static final String SOAK = GeneratedSection.SOAK.begin() + "\nsoak table\n" + GeneratedSection.SOAK.end();

  @Test
  void aSectionIsReplacedInPlaceAndTheRestKept() {
    String doc = "# Benchmarks\n\nbench tables\n\n" + WRK + "\n\n" + SOAK + "\n";
    String newSoak = GeneratedSection.SOAK.begin() + "\nnew soak\n" + GeneratedSection.SOAK.end() + "\n";

    assertThat(GeneratedSection.SOAK.replaceIn(doc, newSoak))
        .isEqualTo("# Benchmarks\n\nbench tables\n\n" + WRK + "\n\n" + GeneratedSection.SOAK.begin() + "\nnew soak\n"
            + GeneratedSection.SOAK.end() + "\n");
  }

  @Test
  void aMissingSectionIsAppended() {
    assertThat(GeneratedSection.SOAK.replaceIn("# Benchmarks\n\nbench tables\n", SOAK))
        .isEqualTo("# Benchmarks\n\nbench tables\n\n" + SOAK + "\n");
    assertThat(GeneratedSection.SOAK.replaceIn("", SOAK)).isEqualTo("# Benchmarks\n\n" + SOAK + "\n");
  }

  @Test
  void theBenchReportKeepsEverySectionOfTheOldFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("benchmarks.md");
    Files.writeString(file, "# Benchmarks\n\nold tables\n\n" + SOAK + "\n\n" + WRK + "\n");

    assertThat(GeneratedSection.keepAll(file, "# Benchmarks\n\nnew tables\n"))
        .isEqualTo("# Benchmarks\n\nnew tables\n\n" + WRK + "\n\n" + SOAK + "\n");
    assertThat(GeneratedSection.keepAll(dir.resolve("absent.md"), "# Benchmarks\n")).isEqualTo("# Benchmarks\n");
  }
}
