package dev.aigis.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
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
}
