package dev.aigis.core.routing;

import static dev.aigis.core.routing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.HttpRoute;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.snapshot.BoundListener;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterAttachmentTest {

  private static final BoundListener HTTP = listener("http", 8080, null);
  private static final BoundListener HTTPS = listener("https", 8443, null);

  private static HttpRoute routeWith(String namespace, ParentRef... parents) {
    return new HttpRoute(new ObjectMeta("r", namespace, null, null, null), SourceRef.EMBEDDED, List.of(parents), List.of(),
        List.of(rule(prefix("/"))));
  }

  private static boolean attached(BoundListener listener, HttpRoute route) {
    return Router.compile(listener, List.of(route), defaultBackends())
        .match(request("GET", "h", "/")).isPresent();
  }

  @Test
  void parentRefDefaultsSelectTheGatewayInTheRouteNamespace() {
    assertThat(attached(HTTP, routeWith("default", new ParentRef(null, null, GATEWAY, null, null, null)))).isTrue();
    assertThat(attached(HTTP, routeWith("default",
        new ParentRef("gateway.networking.k8s.io", "Gateway", GATEWAY, "default", null, null)))).isTrue();
  }

  @Test
  void routeInAnotherNamespaceMustNameTheGatewayNamespace() {
    assertThat(attached(HTTP, routeWith("team", new ParentRef(null, null, GATEWAY, null, null, null)))).isFalse();
    assertThat(attached(HTTP, routeWith("team", new ParentRef(null, null, GATEWAY, "default", null, null)))).isTrue();
  }

  @Test
  void parentRefToAnotherGatewayOrKindDoesNotAttach() {
    assertThat(attached(HTTP, routeWith("default", new ParentRef(null, null, "other", null, null, null)))).isFalse();
    assertThat(attached(HTTP, routeWith("default", new ParentRef("", "Service", GATEWAY, null, null, null)))).isFalse();
    assertThat(attached(HTTP, routeWith("default", new ParentRef("example.com", "Gateway", GATEWAY, null, null, null)))).isFalse();
  }

  @Test
  void sectionNameSelectsTheListenerByName() {
    HttpRoute route = routeWith("default", new ParentRef(null, null, GATEWAY, null, "https", null));

    assertThat(attached(HTTPS, route)).isTrue();
    assertThat(attached(HTTP, route)).isFalse();
  }

  @Test
  void portSelectsTheListenerByPort() {
    HttpRoute route = routeWith("default", new ParentRef(null, null, GATEWAY, null, null, 8443));

    assertThat(attached(HTTPS, route)).isTrue();
    assertThat(attached(HTTP, route)).isFalse();
  }

  @Test
  void sectionNameAndPortMustBothHold() {
    HttpRoute route = routeWith("default", new ParentRef(null, null, GATEWAY, null, "https", 8080));

    assertThat(attached(HTTPS, route)).isFalse();
    assertThat(attached(HTTP, route)).isFalse();
  }

  @Test
  void anyParentRefThatSelectsTheListenerAttaches() {
    HttpRoute route = routeWith("default",
        new ParentRef(null, null, GATEWAY, null, "https", null),
        new ParentRef(null, null, GATEWAY, null, "http", null));

    assertThat(attached(HTTP, route)).isTrue();
    assertThat(attached(HTTPS, route)).isTrue();
  }

  @Test
  void routeWithoutParentRefsNeverAttaches() {
    assertThat(attached(HTTP, routeWith("default"))).isFalse();
  }
}
