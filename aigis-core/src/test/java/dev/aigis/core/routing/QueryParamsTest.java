package dev.aigis.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParamsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "plain, plain",
      "a%20b, a b",
      "%E2%82%AC, €",
      "a+b, a+b",
      "100%, 100%",
      "%zz, %zz",
      "%4, %4",
      "%41%42, AB"
  })
  void percentDecodesAsUtf8AndKeepsMalformedEscapes(String raw, String decoded) {
    assertThat(QueryParams.decode(raw)).isEqualTo(decoded);
  }

  @Test
  void firstValueWinsAndNamesAreDecoded() {
    QueryParams query = QueryParams.parse("a=1&a=2&b%20c=3&flag&&=x&d=");

    assertThat(query.first("a")).isEqualTo("1");
    assertThat(query.first("b c")).isEqualTo("3");
    assertThat(query.first("flag")).isEmpty();
    assertThat(query.first("d")).isEmpty();
    assertThat(query.first("A")).isNull();
  }

  @Test
  void absentQueryHasNoParams() {
    assertThat(QueryParams.parse(null).first("a")).isNull();
    assertThat(QueryParams.parse("").first("a")).isNull();
  }
}
