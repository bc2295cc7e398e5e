package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code aigis validate}: exit codes and the file:line messages a user sees. */
class ValidateCommandTest {

  @TempDir Path dir;

  @Test
  void validFileExitsZeroWithASummary() throws Exception {
    Path file = dir.resolve("ok.yaml");
    Files.writeString(file, EmbeddedConfig.yaml(8080, k -> null));
    Result result = run("validate", "-f", file.toString());
    assertThat(result.exit).isZero();
    assertThat(result.out).isEqualTo("valid: 3 resources, 1 listeners, 1 routes, 1 backends\n");
  }

  @Test
  void invalidFileExitsOneNamingFileLineResourceAndField() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, EmbeddedConfig.yaml(8080, k -> null).replace("name: echo}]", "name: ech0}]"));
    Result result = run("validate", "-f", file.toString());
    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err).isEqualTo(file + ":24: HTTPRoute/echo: spec.rules[0].backendRefs[0].name: AIBackend default/ech0 not found\n"
        + "invalid: 1 error\n");
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new Main()).execute(args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
