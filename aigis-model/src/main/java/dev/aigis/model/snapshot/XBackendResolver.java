package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigMap;
import dev.aigis.model.Secret;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.XBackend;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.XBackendProxy;
import dev.aigis.model.backend.XBackendTls;
import dev.aigis.model.route.ObjectReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves the XBackend an AIBackend connects through into an {@link EgressTarget}. A client
 * certificate Secret that is missing or broken is an error (as every other Secret reference is). An
 * unusable CA reference is a warning: GEP-4894 says connections then MUST fail with a 5xx, so the
 * target carries the reason and every request answers 503 with it, never an unverified connection.
 */
final class XBackendResolver {

  static final String CA_KEY = "ca.crt";

  private final ResourceIndex index;
  private final Problems problems;
  private final List<ConfigError> warnings = new ArrayList<>();
  /** Per XBackend, so one used by several AIBackends is checked (and reported) once. */
  private final java.util.Map<String, EgressTarget> targets = new java.util.HashMap<>();

  XBackendResolver(ResourceIndex index, Problems problems) {
    this.index = index;
    this.problems = problems;
  }

  /** The backend with its endpoint set from the XBackend, or unchanged (and a problem) when it is not found. */
  ResolvedBackend connect(AIBackend backend, java.util.function.Function<AIBackend, ResolvedBackend> resolve) {
    ObjectReference ref = backend.backendRef();
    String namespace = backend.metadata().namespace();
    XBackend xbackend = index.xbackend(namespace, ref.name());
    if (xbackend == null) {
      problems.notFound(backend, "spec.backendRef.name", XBackend.KIND, namespace, ref.name());
      return resolve.apply(backend);
    }
    EgressTarget target = targets.computeIfAbsent(xbackend.metadata().qualifiedName(),
        k -> target(xbackend).withProxy(proxy(xbackend)));
    var endpoint = new BackendEndpoint.Url(target.tls(), xbackend.hostname(), xbackend.port(), "");
    return resolve.apply(backend.withEndpoint(endpoint)).withEgress(target);
  }

  /**
   * The backend implied by an HTTPRoute backendRef straight to {@code xbackend}: a passthrough egress
   * (GEP-4894). Schema OpenAI, so a request in the OpenAI API, or on a path Aigis does not interpret,
   * goes as it came; no credentials of its own, so the client's are forwarded; default timeouts. Its
   * name is {@code xbackend/<name>}, making its key {@code namespace/xbackend/name}
   * ({@link BackendRef#xbackendKey}), distinct from every AIBackend's in metrics, limits and circuits.
   */
  ResolvedBackend direct(XBackend xbackend) {
    EgressTarget target = targets.computeIfAbsent(xbackend.metadata().qualifiedName(), k -> target(xbackend));
    ObjectMeta meta = xbackend.metadata();
    var implied = new AIBackend(
        new ObjectMeta("xbackend/" + meta.name(), meta.namespace(), meta.labels(), meta.annotations(),
            meta.creationTimestamp()),
        xbackend.source(), ApiSchema.OpenAI, new BackendEndpoint.Url(target.tls(), xbackend.hostname(), xbackend.port(), ""),
        null, null, true, null, null, null, null, null,
        new ObjectReference(BackendRef.XBACKEND_GROUP, BackendRef.XBACKEND_KIND, meta.name(), meta.namespace()));
    return new ResolvedBackend(implied, null, BackendTimeouts.DEFAULTS.withDefaults()).withEgress(target);
  }

  List<ConfigError> warnings() {
    return warnings;
  }

  private EgressTarget target(XBackend xbackend) {
    XBackendTls tls = xbackend.tls();
    String qualified = xbackend.metadata().qualifiedName();
    if (tls == null || tls.mode() == XBackendTls.Mode.None || tls.validation() == null) {
      return new EgressTarget(qualified, xbackend.hostname(), xbackend.port(), xbackend.protocol(), XBackendTls.Mode.None,
          null, null, null, null, xbackend.hostname(), List.of());
    }
    XBackendTls.Validation validation = tls.validation();
    String caPem = null;
    String caProblem = null;
    if (!validation.systemCertificates()) {
      var bundle = new StringBuilder();
      for (int i = 0; i < validation.caCertificateRefs().size() && caProblem == null; i++) {
        String name = validation.caCertificateRefs().get(i).name();
        caProblem = caCertificates(xbackend, name, bundle);
        if (caProblem != null) {
          warnings.add(ConfigError.at(xbackend, "spec.tls.validation.caCertificateRefs[" + i + "].name",
              caProblem + "; requests through this XBackend fail with 503"));
        }
      }
      caPem = caProblem == null ? bundle.toString() : null;
    }
    String certificate = null;
    String key = null;
    if (tls.mode() == XBackendTls.Mode.ClientAndServer && tls.clientCertificateRef() != null) {
      ObjectReference ref = tls.clientCertificateRef();
      String namespace = ref.namespace() == null ? xbackend.metadata().namespace() : ref.namespace();
      Secret secret = index.secret(namespace, ref.name());
      if (secret == null) {
        problems.notFound(xbackend, "spec.tls.clientCertificateRef.name", "Secret", namespace, ref.name());
      } else {
        byte[] crt = secret.data().get("tls.crt");
        byte[] pem = secret.data().get("tls.key");
        String problem = crt == null || pem == null ? "Secret " + namespace + "/" + ref.name()
            + " must have tls.crt and tls.key (a kubernetes.io/tls Secret)"
            : PemCheck.certificateChain(crt) != null ? PemCheck.certificateChain(crt) : PemCheck.privateKey(pem);
        if (problem != null) {
          problems.at(xbackend, "spec.tls.clientCertificateRef.name", problem);
        } else {
          certificate = new String(crt, StandardCharsets.US_ASCII);
          key = new String(pem, StandardCharsets.US_ASCII);
        }
      }
    }
    return new EgressTarget(qualified, xbackend.hostname(), xbackend.port(), xbackend.protocol(), tls.mode(), caPem,
        caProblem, certificate, key, validation.hostname(), validation.subjectAltNames());
  }

  /**
   * The forward proxy with its credentials read: a missing Secret, or one without {@code username}
   * and {@code password}, is an error, as every other Secret reference is. Values are never echoed.
   */
  private ForwardProxy proxy(XBackend xbackend) {
    XBackendProxy proxy = xbackend.proxy();
    if (proxy == null) {
      return null;
    }
    ObjectReference ref = proxy.credentialsRef();
    if (ref == null) {
      return new ForwardProxy(proxy.host(), proxy.port(), null, null);
    }
    String namespace = xbackend.metadata().namespace();
    Secret secret = index.secret(namespace, ref.name());
    if (secret == null) {
      problems.notFound(xbackend, "spec.proxy.credentialsRef.name", "Secret", namespace, ref.name());
      return new ForwardProxy(proxy.host(), proxy.port(), null, null);
    }
    byte[] username = secret.data().get("username");
    byte[] password = secret.data().get("password");
    if (username == null || password == null || username.length == 0) {
      problems.at(xbackend, "spec.proxy.credentialsRef.name",
          "Secret " + namespace + "/" + ref.name() + " must have username and password");
      return new ForwardProxy(proxy.host(), proxy.port(), null, null);
    }
    return new ForwardProxy(proxy.host(), proxy.port(), new String(username, StandardCharsets.UTF_8),
        new String(password, StandardCharsets.UTF_8));
  }

  /** Appends the ConfigMap's {@code ca.crt} to {@code bundle}; returns why it cannot, or null. */
  private String caCertificates(XBackend xbackend, String name, StringBuilder bundle) {
    String qualified = xbackend.metadata().namespace() + "/" + name;
    ConfigMap map = index.configMap(xbackend.metadata().namespace(), name);
    if (map == null) {
      return "CA certificate ConfigMap " + qualified + " not found";
    }
    String pem = map.data().get(CA_KEY);
    if (pem == null || pem.isBlank()) {
      return "CA certificate ConfigMap " + qualified + " has no " + CA_KEY;
    }
    if (PemCheck.certificateChain(pem.getBytes(StandardCharsets.US_ASCII)) != null) {
      return CA_KEY + " of ConfigMap " + qualified + " holds no PEM certificate";
    }
    bundle.append(pem).append('\n');
    return null;
  }
}
