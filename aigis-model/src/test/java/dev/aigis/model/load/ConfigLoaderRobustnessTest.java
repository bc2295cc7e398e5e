package dev.aigis.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Odd input must come back as errors, never as an exception. */
class ConfigLoaderRobustnessTest {

  @ParameterizedTest
  @ValueSource(strings = {
    "just a scalar",
    "42",
    "a: &x {b: 1}\nc: *x\n",
    "? [a, b]\n: c\n",
    "1: x\n",
    "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: !!binary aGk=\n",
    "kind: [Gateway]\n",
    "apiVersion: aigis.dev/v1alpha1\nkind: AIBackend\nmetadata: {name: a}\nspec: {endpoint: {url: 'http://[::1'}}\n",
    "apiVersion: aigis.dev/v1alpha1\nkind: AIBackend\nmetadata: {name: a}\nspec: {endpoint: {url: 'http:///x'}}\n",
    "apiVersion: aigis.dev/v1alpha1\nkind: AIBackend\nmetadata: {name: a}\nspec: {endpoint: {host: ''}, credentials: {}}\n",
    "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {rules: [{filters: [{}]}, 3]}\n",
    "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {rules: [{filters: [{type: URLRewrite, urlRewrite: {path: {}}}]}]}\n",
    "\t- tab",
    "a: 'unterminated\n",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  })
  void reportsErrorsInsteadOfThrowing(String yaml) {
    ConfigLoader.LoadResult result = ConfigLoader.loadText("odd.yaml", yaml);
    assertThat(result.resources()).isEmpty();
    assertThat(result.errors()).isNotEmpty().allSatisfy(error -> {
      assertThat(error.file()).isEqualTo("odd.yaml");
      assertThat(error.line()).isPositive();
    });
    assertThat(result.errors()).extracting(ConfigError::format).allMatch(line -> line.startsWith("odd.yaml:"));
  }

  /**
   * Jackson's YAML parser reads an alias as its anchor's name, so nothing is expanded: the nine
   * levels of nine aliases (9^9 strings if expanded) stay a few hundred bytes.
   */
  @Test
  void aliasesAreNotExpandedSoABillionLaughsStaysSmall() {
    var laughs = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    String previous = "a";
    for (String name : new String[] {"b", "c", "d", "e", "f", "g", "h", "i"}) {
      laughs.append(name).append(": &").append(name).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous))).append("]\n");
      previous = name;
    }
    YamlDocuments.Parsed parsed = YamlDocuments.parse(laughs.toString());
    assertThat(parsed.error()).isNull();
    assertThat(parsed.documents().getFirst().root().toString()).hasSizeLessThan(1_000).contains("[\"h\",\"h\"");
  }

  /** Found by ConfigLoaderFuzzTest (corpus deep-flow-nesting.yaml): the limit's error had no line and named Jackson internals. */
  @Test
  void nestingPastTheLimitIsASyntaxErrorOnItsLine() {
    ConfigLoader.LoadResult result = ConfigLoader.loadText("deep.yaml", "a: 1\nb: " + "[".repeat(1_001) + "]".repeat(1_001));
    assertThat(result.errors()).extracting(ConfigError::format).containsExactly(
        "deep.yaml:2: YAML syntax error: Document nesting depth (1001) exceeds the maximum allowed (1000)");
  }
}
