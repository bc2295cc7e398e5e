package dev.aigis.core.routing;

import dev.aigis.model.HttpRoute;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.snapshot.BoundListener;

/** Whether an HTTPRoute's parentRefs select a listener, following Gateway API ParentReference defaults. */
final class Attachment {

  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  static final String GATEWAY_KIND = "Gateway";

  private Attachment() {}

  static boolean attaches(HttpRoute route, BoundListener listener) {
    for (ParentRef ref : route.parentRefs()) {
      if (selects(ref, route.metadata().namespace(), listener)) {
        return true;
      }
    }
    return false;
  }

  private static boolean selects(ParentRef ref, String routeNamespace, BoundListener listener) {
    ObjectMeta gateway = listener.gateway().metadata();
    return orDefault(ref.group(), GATEWAY_GROUP).equals(GATEWAY_GROUP)
        && orDefault(ref.kind(), GATEWAY_KIND).equals(GATEWAY_KIND)
        && gateway.name().equals(ref.name())
        && gateway.namespace().equals(orDefault(ref.namespace(), routeNamespace))
        && (ref.sectionName() == null || ref.sectionName().equals(listener.listener().name()))
        && (ref.port() == null || ref.port() == listener.listener().port());
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
