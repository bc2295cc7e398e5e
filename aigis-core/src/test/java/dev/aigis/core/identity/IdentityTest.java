package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityTest {

  private static Identity key(String... globs) {
    return new Identity(Identity.Kind.API_KEY, "k", null, null, null, null, List.of(globs), null);
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      gpt-4o          | gpt-4o          | true
      gpt-4o          | gpt-4o-mini     | false
      gpt-4o*         | gpt-4o-mini     | true
      gpt-4o*         | gpt-4o          | true
      claude-*        | claude-3-haiku  | true
      claude-*        | xclaude-3       | false
      *               | anything        | true
      *               | ''              | true
      *-mini          | gpt-4o-mini     | true
      *-mini          | gpt-4o-mini-x   | false
      a*b*c           | aXXbYYc         | true
      a*b*c           | aXXcYYb         | false
      a**c            | ac              | true
      *a*a*a*a*b      | aaaaaaaaaaaaaaa | false
      gpt-4o.mini     | gpt-4o.mini     | true
      gpt-4o.mini     | gpt-4oXmini     | false
      a+b             | aab             | false
      a+b             | a+b             | true
      model[1]        | model1          | false
      model[1]        | model[1]        | true
      (x)?            | x               | false
      x?              | x               | false
      ^m$             | ^m$             | true
      \\d             | 5               | false
      """)
  void globsMatchWholeNamesWithStarAsTheOnlyWildcard(String glob, String model, boolean allowed) {
    assertThat(key(glob).keyAllows(model)).isEqualTo(allowed);
  }

  @Test
  void emptyListDoesNotNarrowAndAnyGlobSuffices() {
    assertThat(key().keyAllows("whatever")).isTrue();
    assertThat(key().keyAllows(null)).isTrue();
    assertThat(key("gpt-*", "claude-*").keyAllows("claude-3")).isTrue();
    assertThat(key("gpt-*").keyAllows(null)).isFalse();
  }

  @Test
  void collectionsAreCopiedAndClaimsMayHoldNulls() {
    var claims = new java.util.HashMap<String, Object>();
    claims.put("sub", "alice");
    claims.put("nothing", null);
    Identity identity = new Identity(Identity.Kind.JWT, "alice", null, List.of("g"), Map.of(), claims, List.of(), "p");
    claims.put("later", "x");
    assertThat(identity.claims()).containsOnlyKeys("sub", "nothing");
  }
}
