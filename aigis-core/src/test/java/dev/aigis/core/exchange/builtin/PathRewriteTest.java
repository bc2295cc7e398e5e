package dev.aigis.core.exchange.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriteTest {

  @ParameterizedTest(name = "prefix {0} -> {1}: {2} becomes {3}")
  @CsvSource({
    "/foo, /bar, /foo/x, /bar/x",
    "/foo, /bar, /foo, /bar",
    "/foo/, /bar, /foo/x, /bar/x",
    "/foo, /, /foo/x, /x",
    "/foo, /, /foo, /",
    "/, /v1, /chat, /v1/chat",
    "/openai, /v1, /openai/chat/completions, /v1/chat/completions",
    // Not at a segment boundary, or not under the prefix at all: left as it is.
    "/v1, /v2, /v1beta/models/gemini:generateContent, /v1beta/models/gemini:generateContent",
    "/foo, /bar, /foobar/x, /foobar/x",
    "/foo, /bar, /other/x, /other/x",
  })
  void replacesTheMatchedPrefixByPathElements(String prefix, String replacement, String path, String expected) {
    assertThat(PathRewrite.replacePrefix(prefix, replacement, path)).isEqualTo(expected);
  }
}
