package dev.aigis.core.routing.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.SemanticRouteSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a SemanticRoute entry's examples are gathered from its settings and files, and how bad files are reported. */
class SemanticRouteFactoryTest {

  @TempDir Path dir;
  final List<String> errors = new ArrayList<>();

  final ProcessorFactory.Entry entry = new ProcessorFactory.Entry() {
    @Override
    public String name() {
      return "router";
    }

    @Override
    public Path directory() {
      return dir;
    }

    @Override
    public void error(String field, String message) {
      errors.add(field + ": " + message);
    }
  };

  static SemanticRouteSpec spec(List<SemanticRouteSpec.Route> routes, String examplesFile, SemanticRouteSpec.Examples oos) {
    return new SemanticRouteSpec(routes, examplesFile, oos, null, new BigDecimal("0.41"), 10, "X-Gateway-Model-Name",
        false, "LastUser");
  }

  @Test
  void examplesComeFromDescriptionsListsPlainFilesAndASharedLabelledFile() throws IOException {
    Files.writeString(dir.resolve("billing.txt"), "send me my invoice\n\n  refund my order  \n");
    Files.writeString(dir.resolve("shared.jsonl"), """
        {"text":"book a flight","route":"travel"}
        {"text":"tell me a joke","route":"oos"}
        {"text":"pay my bill","route":"billing"}
        """);
    var examples = SemanticRouteFactory.examples(spec(List.of(
        new SemanticRouteSpec.Route("billing", "b", "payments and invoices", List.of("what do I owe"), "billing.txt"),
        new SemanticRouteSpec.Route("travel", "t", null, List.of(), null)), "shared.jsonl",
        new SemanticRouteSpec.Examples(List.of("what is the meaning of life"), null)), entry);

    assertThat(errors).isEmpty();
    assertThat(examples.routes()).containsExactly(
        new RouteExamples.Route("billing", "b",
            List.of("pay my bill", "payments and invoices", "what do I owe", "send me my invoice", "refund my order")),
        new RouteExamples.Route("travel", "t", List.of("book a flight")));
    assertThat(examples.outOfScope()).containsExactly("tell me a joke", "what is the meaning of life");
  }

  @Test
  void aRouteFileMayHoldOtherRoutesRowsWhichAreSkipped() throws IOException {
    Files.writeString(dir.resolve("both.jsonl"), """
        {"text":"pay my bill","route":"billing"}
        {"text":"book a flight","route":"travel"}
        {"text":"unlabelled invoice question"}
        """);
    var examples = SemanticRouteFactory.examples(spec(List.of(
        new SemanticRouteSpec.Route("billing", "b", null, List.of(), "both.jsonl")), null, null), entry);

    assertThat(examples.routes().getFirst().texts()).containsExactly("pay my bill", "unlabelled invoice question");
  }

  @Test
  void badFilesAreReportedWithFileAndLine() throws IOException {
    Files.writeString(dir.resolve("bad.jsonl"), "{\"text\":\"fine\"}\n{\"text\": 3}\n");
    Files.writeString(dir.resolve("shared.jsonl"), "{\"text\":\"x\",\"route\":\"weather\"}\n");
    Files.writeString(dir.resolve("broken.jsonl"), "{\"text\":\n");

    assertThat(SemanticRouteFactory.examples(spec(List.of(
        new SemanticRouteSpec.Route("billing", "b", null, List.of(), "bad.jsonl"),
        new SemanticRouteSpec.Route("travel", "t", null, List.of(), "missing.txt")), null,
        new SemanticRouteSpec.Examples(List.of(), "broken.jsonl")), entry)).isNull();
    assertThat(SemanticRouteFactory.examples(spec(List.of(
        new SemanticRouteSpec.Route("billing", "b", "invoices", List.of(), null)), "shared.jsonl", null), entry)).isNull();

    assertThat(errors).containsExactly(
        "semanticRoute.routes[0].examplesFile: " + dir.resolve("bad.jsonl") + " line 2: \"text\" must be a non-empty string",
        "semanticRoute.routes[1].examplesFile: " + dir.resolve("missing.txt") + ": no such file",
        "semanticRoute.outOfScope.examplesFile: " + dir.resolve("broken.jsonl") + " line 1: not valid JSON",
        "semanticRoute.examplesFile: shared.jsonl line 1: route \"weather\" is not one of the configured routes");
  }

  @Test
  void aRouteLeftWithoutExamplesIsRefused() throws IOException {
    Files.writeString(dir.resolve("shared.jsonl"), "{\"text\":\"pay my bill\",\"route\":\"billing\"}\n");

    assertThat(SemanticRouteFactory.examples(spec(List.of(
        new SemanticRouteSpec.Route("billing", "b", null, List.of(), null),
        new SemanticRouteSpec.Route("travel", "t", null, List.of(), null)), "shared.jsonl", null), entry)).isNull();
    assertThat(errors).containsExactly("semanticRoute.routes[1]: route \"travel\" has no examples");
  }
}
