package dev.aigis.core.routing;

import static dev.aigis.core.routing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.HttpRoute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterHostnameTest {

  @Test
  void exactHostnameBeatsWildcardBeatsAnyHost() {
    // The less specific hosts have the more specific paths: hostname precedence comes first.
    Router router = router(
        hostRoute("a-any", List.of(), rule(exact("/v1/chat"))),
        hostRoute("a-wild", List.of("*.example.com"), rule(prefix("/v1"))),
        hostRoute("b-exact", List.of("api.example.com"), rule(prefix("/"))));

    assertThat(winner(router, request("GET", "api.example.com", "/v1/chat"))).isEqualTo("default/b-exact#0");
    assertThat(winner(router, request("GET", "other.example.com", "/v1/chat"))).isEqualTo("default/a-wild#0");
    assertThat(winner(router, request("GET", "api.example.org", "/v1/chat"))).isEqualTo("default/a-any#0");
  }

  @Test
  void lessSpecificHostnameServesWhatTheMoreSpecificDoesNotMatch() {
    Router router = router(
        hostRoute("a-wild", List.of("*.example.com"), rule(prefix("/v1"))),
        hostRoute("b-exact", List.of("api.example.com"), rule(prefix("/admin"))));

    assertThat(winner(router, request("GET", "api.example.com", "/v1/chat"))).isEqualTo("default/a-wild#0");
    assertThat(winner(router, request("GET", "api.example.com", "/admin"))).isEqualTo("default/b-exact#0");
  }

  @Test
  void longerWildcardSuffixBeatsShorter() {
    Router router = router(
        hostRoute("a-short", List.of("*.example.com"), rule(exact("/v1"))),
        hostRoute("b-long", List.of("*.eu.example.com"), rule(prefix("/"))));

    assertThat(winner(router, request("GET", "api.eu.example.com", "/v1"))).isEqualTo("default/b-long#0");
    assertThat(winner(router, request("GET", "api.us.example.com", "/v1"))).isEqualTo("default/a-short#0");
  }

  @ParameterizedTest(name = "*.example.com vs {0} -> {1}")
  @CsvSource({
      "a.example.com, true",
      "a.b.example.com, true",
      "example.com, false",
      "badexample.com, false",
      "a.example.org, false"
  })
  void wildcardMatchesOneOrMoreLeadingLabelsOnly(String host, boolean matches) {
    Router router = router(hostRoute("wild", List.of("*.example.com"), rule(prefix("/"))));

    assertThat(router.match(request("GET", host, "/")).isPresent()).isEqualTo(matches);
  }

  @Test
  void requestHostIsLowercasedAndLosesItsPort() {
    Router router = router(hostRoute("r", List.of("API.example.com"), rule(prefix("/"))));

    assertThat(winner(router, request("GET", "Api.Example.COM:8443", "/"))).isEqualTo("default/r#0");
    assertThat(winner(router, request("GET", "api.example.com.", "/"))).isEqualTo("default/r#0");
  }

  @Test
  void ipv6HostKeepsItsBracketsAndLosesItsPort() {
    assertThat(Hostnames.requestHost("[::1]:8080")).isEqualTo("[::1]");
    assertThat(Hostnames.requestHost("[::1]")).isEqualTo("[::1]");
  }

  @Test
  void requestWithoutHostMatchesOnlyAnyHostRoutes() {
    Router router = router(
        hostRoute("a-exact", List.of("api.example.com"), rule(exact("/v1"))),
        hostRoute("b-any", List.of(), rule(prefix("/"))));

    assertThat(winner(router, request("GET", null, "/v1"))).isEqualTo("default/b-any#0");
  }

  @ParameterizedTest(name = "listener {0} ∩ route {1} = {2}")
  @CsvSource(nullValues = "none", value = {
      "api.example.com, api.example.com, api.example.com",
      "*.example.com, api.example.com, api.example.com",
      "api.example.com, *.example.com, api.example.com",
      "*.example.com, *.eu.example.com, *.eu.example.com",
      "*.eu.example.com, *.example.com, *.eu.example.com",
      "*.example.com, *.example.com, *.example.com",
      "*.example.com, example.com, none",
      "api.example.com, web.example.com, none",
      "*.example.com, *.example.org, none"
  })
  void listenerAndRouteHostnamesIntersectAsTheSpecSays(String listener, String route, String expected) {
    assertThat(Hostnames.intersect(listener, route)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void listenerHostnameRestrictsRoutesWithoutHostnames() {
    Router router = Router.compile(listener("http", 8080, "api.example.com"),
        List.of(hostRoute("r", List.of(), rule(prefix("/")))), defaultBackends());

    assertThat(winner(router, request("GET", "api.example.com", "/"))).isEqualTo("default/r#0");
    assertThat(winner(router, request("GET", "web.example.com", "/"))).isEqualTo("none");
    assertThat(winner(router, request("GET", null, "/"))).isEqualTo("none");
  }

  @Test
  void listenerWildcardNarrowsARouteWildcard() {
    Router router = Router.compile(listener("http", 8080, "*.eu.example.com"),
        List.of(hostRoute("r", List.of("*.example.com"), rule(prefix("/")))), defaultBackends());

    assertThat(winner(router, request("GET", "api.eu.example.com", "/"))).isEqualTo("default/r#0");
    assertThat(winner(router, request("GET", "api.us.example.com", "/"))).isEqualTo("none");
  }

  @Test
  void routeWildcardUnderAnExactListenerServesOnlyTheListenerHost() {
    Router router = Router.compile(listener("http", 8080, "api.example.com"),
        List.of(hostRoute("r", List.of("*.example.com"), rule(prefix("/")))), defaultBackends());

    assertThat(winner(router, request("GET", "api.example.com", "/"))).isEqualTo("default/r#0");
    assertThat(winner(router, request("GET", "web.example.com", "/"))).isEqualTo("none");
  }

  @Test
  void routeWhoseHostnamesDoNotIntersectTheListenerIsNotAttached() {
    HttpRoute elsewhere = hostRoute("a-elsewhere", List.of("api.example.org"), rule(prefix("/")));
    HttpRoute here = hostRoute("b-here", List.of(), rule(exact("/only")));
    Router router = Router.compile(listener("http", 8080, "*.example.com"), List.of(elsewhere, here), defaultBackends());

    assertThat(winner(router, request("GET", "api.example.org", "/"))).isEqualTo("none");
    assertThat(winner(router, request("GET", "api.example.com", "/"))).isEqualTo("none");
    assertThat(winner(router, request("GET", "api.example.com", "/only"))).isEqualTo("default/b-here#0");
  }

  @Test
  void onlyTheIntersectingRouteHostnamesAreServed() {
    Router router = Router.compile(listener("http", 8080, "*.example.com"),
        List.of(hostRoute("r", List.of("api.example.org", "api.example.com"), rule(prefix("/")))), defaultBackends());

    assertThat(winner(router, request("GET", "api.example.com", "/"))).isEqualTo("default/r#0");
    assertThat(winner(router, request("GET", "api.example.org", "/"))).isEqualTo("none");
  }
}
