package dev.aigis.core.routing;

import static dev.aigis.core.routing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.HttpRoute;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per Gateway API precedence rule. In each, the route that should lose comes first in the
 * list and sorts first by name, so only the rule under test can make the other win.
 */
class RouterPrecedenceTest {

  private static final Instant OLD = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant NEW = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void exactPathBeatsLongestPrefix() {
    Router router = router(
        route("a-prefix", rule(prefix("/v1/chat/completions/extra"))),
        route("a-prefix-long", rule(prefix("/v1/chat/completions"))),
        route("b-exact", rule(exact("/v1/chat/completions"))));

    assertThat(winner(router, get("/v1/chat/completions"))).isEqualTo("default/b-exact#0");
  }

  @Test
  void longestPrefixBeatsShorter() {
    Router router = router(
        route("a-short", rule(prefix("/v1"))),
        route("b-long", rule(prefix("/v1/chat"))));

    assertThat(winner(router, get("/v1/chat/completions"))).isEqualTo("default/b-long#0");
    assertThat(winner(router, get("/v1/models"))).isEqualTo("default/a-short#0");
  }

  @Test
  void trailingSlashDoesNotMakeAPrefixLonger() {
    Router router = router(
        route("a-slash", rule(prefix("/v1/"))),
        route("b-plain", rule(prefix("/v1"))));

    // Same paths, same length once the slash is ignored: falls through to name order.
    assertThat(winner(router, get("/v1/x"))).isEqualTo("default/a-slash#0");
  }

  @Test
  void methodMatchBeatsNone() {
    Router router = router(
        route("a-any", rule(prefix("/v1"))),
        route("b-post", rule(withMethod(prefix("/v1"), "POST"))));

    assertThat(winner(router, request("POST", "h", "/v1/chat"))).isEqualTo("default/b-post#0");
    assertThat(winner(router, request("GET", "h", "/v1/chat"))).isEqualTo("default/a-any#0");
  }

  @Test
  void longerPrefixBeatsMethodMatch() {
    Router router = router(
        route("a-post", rule(withMethod(prefix("/v1"), "POST"))),
        route("b-long", rule(prefix("/v1/chat"))));

    assertThat(winner(router, request("POST", "h", "/v1/chat"))).isEqualTo("default/b-long#0");
  }

  @Test
  void moreHeaderMatchesBeatFewer() {
    Router router = router(
        route("a-one", rule(withHeaders(prefix("/"), header("x-tenant", "t1")))),
        route("b-two", rule(withHeaders(prefix("/"), header("x-tenant", "t1"), header("x-tier", "gold")))));

    assertThat(winner(router, get("/v1", "x-tenant", "t1", "x-tier", "gold"))).isEqualTo("default/b-two#0");
    assertThat(winner(router, get("/v1", "x-tenant", "t1", "x-tier", "silver"))).isEqualTo("default/a-one#0");
  }

  @Test
  void methodMatchBeatsMoreHeaders() {
    Router router = router(
        route("a-headers", rule(withHeaders(prefix("/"), header("x-a", "1"), header("x-b", "2")))),
        route("b-method", rule(withMethod(prefix("/"), "GET"))));

    assertThat(winner(router, get("/", "x-a", "1", "x-b", "2"))).isEqualTo("default/b-method#0");
  }

  @Test
  void moreQueryParamMatchesBeatFewer() {
    Router router = router(
        route("a-one", rule(withQuery(prefix("/"), query("model", "gpt")))),
        route("b-two", rule(withQuery(prefix("/"), query("model", "gpt"), query("stream", "true")))));

    assertThat(winner(router, get("/v1?model=gpt&stream=true"))).isEqualTo("default/b-two#0");
    assertThat(winner(router, get("/v1?model=gpt"))).isEqualTo("default/a-one#0");
  }

  @Test
  void headerMatchesBeatQueryParamMatches() {
    Router router = router(
        route("a-query", rule(withQuery(prefix("/"), query("a", "1"), query("b", "2")))),
        route("b-header", rule(withHeaders(prefix("/"), header("x-a", "1")))));

    assertThat(winner(router, get("/?a=1&b=2", "x-a", "1"))).isEqualTo("default/b-header#0");
  }

  @Test
  void oldestCreationTimestampWins() {
    Router router = Router.compile(listener(), List.of(
        route(meta("default", "a-new", NEW), List.of(), rule(prefix("/"))),
        route(meta("default", "b-old", OLD), List.of(), rule(prefix("/")))), defaultBackends());

    assertThat(winner(router, get("/x"))).isEqualTo("default/b-old#0");
  }

  @Test
  void routeWithoutTimestampLosesToOneWithTimestamp() {
    Router router = Router.compile(listener(), List.of(
        route(meta("default", "a-unknown", null), List.of(), rule(prefix("/"))),
        route(meta("default", "b-new", NEW), List.of(), rule(prefix("/")))), defaultBackends());

    assertThat(winner(router, get("/x"))).isEqualTo("default/b-new#0");
  }

  @Test
  void missingTimestampsTieAndFallThroughToName() {
    Router router = router(route("b-second", rule(prefix("/"))), route("a-first", rule(prefix("/"))));

    assertThat(winner(router, get("/x"))).isEqualTo("default/a-first#0");
  }

  @Test
  void alphabeticalNamespaceNameWinsOnEqualTimestamps() {
    Router router = Router.compile(listener(), List.of(
        route(meta("zeta", "a-route", OLD), List.of(), rule(prefix("/"))),
        route(meta("alpha", "z-route", OLD), List.of(), rule(prefix("/")))), defaultBackends());

    // Namespace comes before name: alpha/z-route < zeta/a-route.
    assertThat(winner(router, get("/x"))).isEqualTo("alpha/z-route#0");
  }

  @Test
  void listOrderBreaksRemainingTies() {
    HttpRoute first = route(meta("default", "same", OLD), List.of(), rule(prefix("/")));
    HttpRoute second = route(meta("default", "same", OLD), List.of(), rule(prefix("/")));
    Router router = Router.compile(listener(), List.of(first, second), defaultBackends());

    assertThat(router.match(get("/x")).orElseThrow().route()).isSameAs(first);
  }

  @Test
  void ruleOrderWinsWithinARoute() {
    Router router = router(route("r", rule(withHeaders(prefix("/"), header("x-a", "1"))), rule(withHeaders(prefix("/"), header("x-b", "1")))));

    assertThat(winner(router, get("/", "x-b", "1", "x-a", "1"))).isEqualTo("default/r#0");
    assertThat(winner(router, get("/", "x-b", "1"))).isEqualTo("default/r#1");
  }

  @Test
  void matchOrderWinsWithinARule() {
    Router router = router(route("r", rule(withHeaders(prefix("/"), header("x-a", "1")), withHeaders(prefix("/"), header("x-b", "1")))));

    RouteMatchResult result = router.match(get("/", "x-b", "1", "x-a", "1")).orElseThrow();
    assertThat(result.match().headers()).containsExactly(header("x-a", "1"));
  }

  @Test
  void precedenceSpansRulesOfDifferentRoutes() {
    // Rule 1 of the later route is more specific than rule 0 of the earlier one.
    Router router = router(
        route("a", rule(prefix("/v1"))),
        route("b", rule(prefix("/other")), rule(prefix("/v1/chat"))));

    assertThat(winner(router, get("/v1/chat"))).isEqualTo("default/b#1");
  }

  @Test
  void regexRanksAfterEveryPrefix() {
    Router router = router(
        route("a-regex", rule(regex("/v1/chat/.*"))),
        route("b-catch-all", rule(prefix("/"))));

    assertThat(winner(router, get("/v1/chat/completions"))).isEqualTo("default/b-catch-all#0");
  }

  @Test
  void regexRanksAfterExact() {
    Router router = router(
        route("a-regex", rule(regex("/v1/.*"))),
        route("b-exact", rule(exact("/v1/models"))));

    assertThat(winner(router, get("/v1/models"))).isEqualTo("default/b-exact#0");
    assertThat(winner(router, get("/v1/chat"))).isEqualTo("default/a-regex#0");
  }

  @Test
  void longerRegexBeatsShorter() {
    Router router = router(
        route("a-short", rule(regex("/v1/.*"))),
        route("b-long", rule(regex("/v1/chat/.*"))));

    assertThat(winner(router, get("/v1/chat/completions"))).isEqualTo("default/b-long#0");
  }

  @Test
  void noMatchIsEmpty() {
    Router router = router(route("a", rule(prefix("/v1"))));

    assertThat(router.match(get("/v2"))).isEmpty();
  }
}
