package dev.aigis.model.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.processing.JsonPaths.Segment;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class JsonPathsTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("$.model", List.of(new Segment.Field("model"))),
        Arguments.of("$.metadata.team", List.of(new Segment.Field("metadata"), new Segment.Field("team"))),
        Arguments.of("$.messages[0].content",
            List.of(new Segment.Field("messages"), new Segment.Index(0), new Segment.Field("content"))),
        Arguments.of("$['x-meta'][\"a.b\"]", List.of(new Segment.Field("x-meta"), new Segment.Field("a.b"))),
        Arguments.of("$['it\\'s']['back\\\\slash']", List.of(new Segment.Field("it's"), new Segment.Field("back\\slash"))),
        Arguments.of("$['']", List.of(new Segment.Field(""))),
        Arguments.of("$._a1[10][2147483647]",
            List.of(new Segment.Field("_a1"), new Segment.Index(10), new Segment.Index(Integer.MAX_VALUE))));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesTheSupportedSubset(String path, List<Segment> segments) {
    assertThat(JsonPaths.parse(path)).isEqualTo(segments);
    assertThat(JsonPaths.isValid(path)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "model          | must start with $",
    "$              | must select something below $, such as $.model",
    "$model         | expected '.' or '[' at offset 1",
    "$.             | expected a field name at offset 2, found the end",
    "$..model       | expected a field name at offset 2, found '.' (wildcards and '..' are not supported)",
    "$.*            | expected a field name at offset 2, found '*' (wildcards and '..' are not supported)",
    "$.1st          | expected a field name at offset 2, found '1'",
    "$.a-b          | expected '.' or '[' at offset 3",
    "$[             | unclosed '[' at offset 1",
    "$[*]           | expected a quoted name or a non-negative index at offset 2 (wildcards, slices, filters and negative indices are not supported)",
    "$[-1]          | expected a quoted name or a non-negative index at offset 2 (wildcards, slices, filters and negative indices are not supported)",
    "$[0:2]         | expected ']' at offset 3",
    "$[01]          | index 01 has a leading zero",
    "$[2147483648]  | index 2147483648 is too large",
    "$['a'          | expected ']' at offset 5",
    "$['a]          | unterminated quoted name starting at offset 2",
    "`$['a\\n']`    | only \\' and \\\\ may be escaped (offset 4)",
    "`$.a b`        | expected '.' or '[' at offset 3",
  })
  void refusesEverythingElseNamingTheOffset(String path, String reason) {
    assertThat(JsonPaths.isValid(path)).isFalse();
    assertThatThrownBy(() -> JsonPaths.parse(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid JSONPath \"" + path + "\": " + reason);
  }

  @org.junit.jupiter.api.Test
  void nullIsInvalid() {
    assertThat(JsonPaths.isValid(null)).isFalse();
  }
}
