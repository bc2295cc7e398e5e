package dev.aigis.model.snapshot;

import dev.aigis.model.Gateway;
import dev.aigis.model.Names;
import dev.aigis.model.Secret;
import dev.aigis.model.gateway.Listener;
import dev.aigis.model.route.ObjectReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks Gateway listeners and binds each to its TLS material. Listeners of different Gateways may
 * share a port (one server serves both) only if they agree on the protocol.
 */
final class ListenerBinder {

  static final String TLS_CERT = "tls.crt";
  static final String TLS_KEY = "tls.key";

  private final ResourceIndex index;
  private final Problems problems;
  /** Port → the first listener bound on it. */
  private final Map<Integer, BoundListener> byPort = new HashMap<>();

  ListenerBinder(ResourceIndex index, Problems problems) {
    this.index = index;
    this.problems = problems;
  }

  List<BoundListener> bind(Gateway gateway) {
    List<BoundListener> bound = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (gateway.listeners().isEmpty()) {
      problems.at(gateway, "spec.listeners", "at least one listener is required");
    }
    for (int i = 0; i < gateway.listeners().size(); i++) {
      Listener listener = gateway.listeners().get(i);
      String path = "spec.listeners[" + i + "]";
      if (!names.add(listener.name())) {
        problems.at(gateway, path + ".name", "duplicate listener name \"" + listener.name() + "\"");
      }
      if (listener.hostname() != null && !Names.isHostname(listener.hostname(), true)) {
        problems.at(gateway, path + ".hostname", "invalid hostname \"" + listener.hostname() + "\"");
      }
      BoundListener.TlsMaterial tls = tls(gateway, listener, path);
      if (listener.port() < 1 || listener.port() > 65535) {
        problems.at(gateway, path + ".port", "port " + listener.port() + " is out of range 1..65535");
        continue;
      }
      BoundListener candidate = new BoundListener(gateway, listener, tls);
      BoundListener first = byPort.putIfAbsent(listener.port(), candidate);
      if (first != null && first.listener().protocol() != listener.protocol()) {
        problems.at(gateway, path + ".protocol", "port " + listener.port() + " is " + listener.protocol()
            + " here but " + first.listener().protocol() + " in listener \"" + first.listener().name() + "\" of Gateway "
            + first.gateway().metadata().qualifiedName());
      }
      bound.add(candidate);
    }
    return bound;
  }

  private BoundListener.TlsMaterial tls(Gateway gateway, Listener listener, String path) {
    Listener.ListenerTls tls = listener.tls();
    if (listener.protocol() == Listener.Protocol.HTTP) {
      if (tls != null) {
        problems.at(gateway, path + ".tls", "must not be set for an HTTP listener");
      }
      return null;
    }
    if (tls == null) {
      problems.at(gateway, path + ".tls", "required for an HTTPS listener");
      return null;
    }
    if (!"Terminate".equals(tls.mode())) {
      problems.at(gateway, path + ".tls.mode", "only Terminate is supported (got \"" + tls.mode() + "\")");
    }
    if (tls.certificateRefs().isEmpty()) {
      problems.at(gateway, path + ".tls.certificateRefs", "at least one certificateRef is required for HTTPS");
      return null;
    }
    // Only the first certificate is served: Aigis does not select certificates by SNI yet.
    ObjectReference ref = tls.certificateRefs().getFirst();
    String refPath = path + ".tls.certificateRefs[0]";
    if ((ref.group() != null && !ref.group().isEmpty()) || (ref.kind() != null && !ref.kind().equals(Secret.KIND))) {
      problems.at(gateway, refPath + ".kind", "only core Secret certificate references are supported");
      return null;
    }
    String namespace = ref.namespace() == null ? gateway.metadata().namespace() : ref.namespace();
    Secret secret = index.secret(namespace, ref.name());
    if (secret == null) {
      problems.notFound(gateway, refPath + ".name", "Secret", namespace, ref.name());
      return null;
    }
    byte[] chain = secret.data().get(TLS_CERT);
    byte[] key = secret.data().get(TLS_KEY);
    for (String missing : List.of(TLS_CERT, TLS_KEY)) {
      if (secret.data().get(missing) == null) {
        problems.at(gateway, refPath + ".name", "Secret " + namespace + "/" + ref.name() + " has no " + missing);
      }
    }
    if (chain == null || key == null) {
      return null;
    }
    String problem = PemCheck.certificateChain(chain);
    if (problem == null) {
      problem = PemCheck.privateKey(key);
    }
    if (problem != null) {
      problems.at(gateway, refPath + ".name", "Secret " + namespace + "/" + ref.name() + ": " + problem);
      return null;
    }
    return new BoundListener.TlsMaterial(chain, key);
  }
}
