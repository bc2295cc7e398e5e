package dev.aigis.model.load;

import dev.aigis.model.Gateway;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.gateway.Listener;
import dev.aigis.model.route.ObjectReference;
import java.util.List;

/** Reads the spec of a gateway.networking.k8s.io/v1 Gateway. */
final class GatewayReader {

  private GatewayReader() {}

  static Gateway read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "gatewayClassName", "listeners");
    if (spec == null) {
      return null;
    }
    String className = spec.requiredString("gatewayClassName");
    List<Listener> listeners = spec.objects("listeners", true,
        List.of("name", "port", "protocol", "hostname", "tls"), GatewayReader::listener);
    return new Gateway(metadata, source, className, listeners);
  }

  private static Listener listener(Fields listener) {
    Fields tls = listener.object("tls", "mode", "certificateRefs");
    return new Listener(
        listener.requiredString("name"),
        listener.requiredInt("port"),
        listener.choice("protocol", true, Listener.Protocol.values()),
        listener.string("hostname"),
        tls == null ? null : new Listener.ListenerTls(tls.string("mode"), certificateRefs(tls)));
  }

  private static List<ObjectReference> certificateRefs(Fields tls) {
    return tls.objects("certificateRefs", false, List.of("group", "kind", "name", "namespace"),
        ref -> new ObjectReference(ref.string("group"), ref.string("kind"), ref.requiredString("name"), ref.string("namespace")));
  }
}
