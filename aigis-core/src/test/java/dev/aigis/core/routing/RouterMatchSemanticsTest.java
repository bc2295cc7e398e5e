package dev.aigis.core.routing;

import static dev.aigis.core.routing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.route.RouteMatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterMatchSemanticsTest {

  @ParameterizedTest(name = "PathPrefix {0} vs {1} -> {2}")
  @CsvSource({
      "/foo, /foo, true",
      "/foo, /foo/, true",
      "/foo, /foo/bar, true",
      "/foo, /foobar, false",
      "/foo, /fo, false",
      "/foo/, /foo, true",
      "/foo/, /foo/bar, true",
      "/foo/, /foobar, false",
      "/, /, true",
      "/, /anything/at/all, true",
      "/foo/bar, /foo/bar/baz, true",
      "/foo/bar, /foo/barbaz, false"
  })
  void pathPrefixMatchesWholePathElements(String prefix, String path, boolean matches) {
    Router router = router(route("r", rule(prefix(prefix))));

    assertThat(router.match(get(path)).isPresent()).isEqualTo(matches);
  }

  @ParameterizedTest(name = "Exact /foo vs {0} -> {1}")
  @CsvSource({"/foo, true", "/foo/, false", "/foo/bar, false", "/FOO, false"})
  void exactPathIsStringEquality(String path, boolean matches) {
    Router router = router(route("r", rule(exact("/foo"))));

    assertThat(router.match(get(path)).isPresent()).isEqualTo(matches);
  }

  @ParameterizedTest(name = "Regex /v1/[a-z]+ vs {0} -> {1}")
  @CsvSource({"/v1/chat, true", "/v1/chat/completions, false", "/x/v1/chat, false", "/v1/, false"})
  void pathRegexMustMatchTheWholePath(String path, boolean matches) {
    Router router = router(route("r", rule(regex("/v1/[a-z]+"))));

    assertThat(router.match(get(path)).isPresent()).isEqualTo(matches);
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    Router router = router(route("r", rule(withHeaders(prefix("/"), header("X-Tenant", "t1")))));

    assertThat(router.match(get("/", "x-tenant", "t1"))).isPresent();
    assertThat(router.match(get("/", "X-TENANT", "t1"))).isPresent();
  }

  @Test
  void headerExactValuesAreCaseSensitive() {
    Router router = router(route("r", rule(withHeaders(prefix("/"), header("x-tenant", "t1")))));

    assertThat(router.match(get("/", "x-tenant", "T1"))).isEmpty();
    assertThat(router.match(get("/"))).isEmpty();
  }

  @Test
  void headerRegexMustMatchTheWholeValue() {
    Router router = router(route("r", rule(withHeaders(prefix("/"), headerRegex("x-model", "gpt-4o?")))));

    assertThat(router.match(get("/", "x-model", "gpt-4o"))).isPresent();
    assertThat(router.match(get("/", "x-model", "gpt-4"))).isPresent();
    assertThat(router.match(get("/", "x-model", "gpt-4o-mini"))).isEmpty();
    assertThat(router.match(get("/"))).isEmpty();
  }

  @Test
  void repeatedHeaderIsJudgedByItsFirstValue() {
    Router router = router(route("r", rule(withHeaders(prefix("/"), header("x-tenant", "t2")))));

    assertThat(router.match(get("/", "x-tenant", "t1", "x-tenant", "t2"))).isEmpty();
    assertThat(router.match(get("/", "x-tenant", "t2", "x-tenant", "t1"))).isPresent();
  }

  @Test
  void methodIsCaseSensitive() {
    Router router = router(route("r", rule(withMethod(prefix("/"), "POST"))));

    assertThat(router.match(request("POST", "h", "/"))).isPresent();
    assertThat(router.match(request("post", "h", "/"))).isEmpty();
    assertThat(router.match(request("GET", "h", "/"))).isEmpty();
  }

  @Test
  void queryValuesArePercentDecodedBeforeComparison() {
    Router router = router(route("r", rule(withQuery(prefix("/"), query("model", "gpt 4/o é")))));

    assertThat(router.match(get("/?model=gpt%204%2Fo%20%C3%A9"))).isPresent();
    assertThat(router.match(get("/?model=gpt%204%2fo%20%c3%a9"))).isPresent();
    assertThat(router.match(get("/?model=gpt+4/o+é"))).isEmpty();
  }

  @Test
  void queryParamNamesAreCaseSensitive() {
    Router router = router(route("r", rule(withQuery(prefix("/"), query("model", "gpt")))));

    assertThat(router.match(get("/?Model=gpt"))).isEmpty();
    assertThat(router.match(get("/?x=1&model=gpt"))).isPresent();
    assertThat(router.match(get("/"))).isEmpty();
  }

  @Test
  void repeatedQueryParamIsJudgedByItsFirstValue() {
    Router router = router(route("r", rule(withQuery(prefix("/"), query("model", "b")))));

    assertThat(router.match(get("/?model=a&model=b"))).isEmpty();
    assertThat(router.match(get("/?model=b&model=a"))).isPresent();
  }

  @Test
  void allConditionsOfAMatchMustHold() {
    Router router = router(route("r", rule(withQuery(withHeaders(withMethod(exact("/v1"), "POST"), header("x-a", "1")), query("q", "1")))));

    assertThat(router.match(request("POST", "h", "/v1?q=1", "x-a", "1"))).isPresent();
    assertThat(router.match(request("GET", "h", "/v1?q=1", "x-a", "1"))).isEmpty();
    assertThat(router.match(request("POST", "h", "/v1?q=2", "x-a", "1"))).isEmpty();
    assertThat(router.match(request("POST", "h", "/v1?q=1", "x-a", "2"))).isEmpty();
    assertThat(router.match(request("POST", "h", "/v2?q=1", "x-a", "1"))).isEmpty();
  }

  @Test
  void ruleWithoutMatchesAcceptsEveryPath() {
    Router router = router(route("r", rule()));

    RouteMatchResult result = router.match(get("/anything")).orElseThrow();
    assertThat(result.match()).isEqualTo(RouteMatch.DEFAULT);
  }
}
