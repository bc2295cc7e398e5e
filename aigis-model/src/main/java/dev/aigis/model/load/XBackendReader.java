package dev.aigis.model.load;

import dev.aigis.model.EgressPolicy;
import dev.aigis.model.Names;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.XBackend;
import dev.aigis.model.backend.XBackendProxy;
import dev.aigis.model.backend.XBackendTls;
import dev.aigis.model.route.ObjectReference;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the spec of a gateway.networking.x-k8s.io/v1alpha1 XBackend (GEP-4894), with the rules its
 * CRD states in CEL: {@code externalHostname} for {@code type: ExternalHostname} (the only type
 * served), a hostname that is neither an IP address nor in-cluster, {@code clientCertificateRef}
 * iff {@code ClientAndServer}, and CA references or the system CAs but not both.
 */
final class XBackendReader {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final int MAX_CA_REFS = 8;
  private static final int MAX_SANS = 5;

  private XBackendReader() {}

  static XBackend read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "type", "port", "protocol", "externalHostname", "tls", "proxy");
    if (spec == null) {
      return null;
    }
    spec.choice("type", true, List.of("ExternalHostname"));
    Fields port = spec.requiredObject("port", "name", "port");
    Integer number = port == null ? null : port.integer("port");
    if (port != null && number == null) {
      port.requiredString("port");
    } else if (number != null && (number < 1 || number > 65535)) {
      port.error("port", "port " + number + " is out of range 1..65535");
    }
    XBackend.Protocol protocol = spec.choice("protocol", false, XBackend.Protocol.values());
    Fields external = spec.requiredObject("externalHostname", "hostname");
    String hostname = external == null ? null : external.requiredString("hostname");
    if (hostname != null) {
      checkHostname(external, "hostname", hostname);
    }
    XBackendTls tls = tls(spec.object("tls", "mode", "clientCertificateRef", "validation"));
    XBackendProxy proxy = proxy(spec.object("proxy", "url", "credentialsRef"));
    return number == null || hostname == null ? null
        : new XBackend(metadata, source, number, protocol, hostname, tls, proxy);
  }

  /** Refuses what is not an external DNS name, saying why, since each looks plausible when written. */
  static void checkHostname(Fields fields, String field, String hostname) {
    String lower = EgressPolicy.normalize(hostname);
    if (IPV4.matcher(hostname).matches() || hostname.contains(":")) {
      fields.error(field, "\"" + hostname + "\" is an IP address; an external hostname must be a DNS name,"
          + " which the certificate and the egress allow-list are checked against");
    } else if (lower.equals("cluster.local") || lower.endsWith(".cluster.local")) {
      fields.error(field, "\"" + hostname + "\" is an in-cluster name (*.cluster.local), not an external hostname");
    } else if (!Names.isHostname(hostname, false)) {
      fields.error(field, "invalid hostname \"" + hostname + "\": lowercase letters, digits, '-' and '.', no wildcard");
    }
  }

  /**
   * {@code spec.proxy}: an {@code http://host[:port]} URL (the tunnel to the proxy is cleartext; TLS
   * to the target runs inside it) and an optional Secret for Basic proxy credentials. A URL with
   * user info is refused, as the rate limiter's redis URL is: credentials belong in the Secret.
   */
  private static XBackendProxy proxy(Fields proxy) {
    if (proxy == null) {
      return null;
    }
    String text = proxy.requiredString("url");
    URI uri = text == null || text.isEmpty() ? null : proxy.uri("url", text);
    ObjectReference credentials = null;
    Fields ref = proxy.object("credentialsRef", "group", "kind", "name");
    if (ref != null) {
      String group = ref.string("group");
      String kind = ref.string("kind");
      if (group != null && !group.isEmpty()) {
        ref.error("group", "must be \"\" (the core group of Secret), got \"" + group + "\"");
      }
      if (kind != null && !kind.equals("Secret")) {
        ref.error("kind", "must be Secret, got \"" + kind + "\"");
      }
      String name = ref.requiredString("name");
      credentials = name == null ? null : new ObjectReference("", "Secret", name, null);
    }
    if (uri == null) {
      if (text != null && text.isEmpty()) {
        proxy.error("url", "must not be empty");
      }
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath();
    String problem;
    if (!scheme.equals("http")) {
      problem = "URL scheme must be http (TLS to the target is tunnelled through the proxy with CONNECT)";
    } else if (uri.getRawUserInfo() != null) {
      problem = "URL must not have user info; put the username and password in a Secret named by credentialsRef";
    } else if (uri.getHost() == null) {
      problem = "URL has no host";
    } else if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      problem = "URL must be http://host[:port], without a path, a query or a fragment";
    } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
      problem = "URL port " + uri.getPort() + " is out of range 1..65535";
    } else {
      String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
      return new XBackendProxy(host, uri.getPort() < 0 ? 80 : uri.getPort(), credentials);
    }
    proxy.error("url", problem);
    return null;
  }

  private static XBackendTls tls(Fields tls) {
    if (tls == null) {
      return null;
    }
    XBackendTls.Mode mode = tls.choice("mode", true, XBackendTls.Mode.values());
    Fields clientRef = tls.object("clientCertificateRef", "group", "kind", "name", "namespace");
    ObjectReference client = null;
    if (clientRef != null) {
      String group = clientRef.string("group");
      String kind = clientRef.string("kind");
      if (group != null && !group.isEmpty()) {
        clientRef.error("group", "must be \"\" (the core group of Secret), got \"" + group + "\"");
      }
      if (kind != null && !kind.equals("Secret")) {
        clientRef.error("kind", "must be Secret, got \"" + kind + "\"");
      }
      client = new ObjectReference("", "Secret", clientRef.requiredString("name"), clientRef.string("namespace"));
    }
    if (mode == XBackendTls.Mode.ClientAndServer && clientRef == null && !tls.has("clientCertificateRef")) {
      tls.error("clientCertificateRef", "required for mode ClientAndServer: a kubernetes.io/tls Secret");
    } else if (mode != null && mode != XBackendTls.Mode.ClientAndServer && clientRef != null) {
      tls.error("clientCertificateRef", "only for mode ClientAndServer");
    }
    Fields validation = tls.object("validation", "caCertificateRefs", "wellKnownCACertificates", "hostname",
        "subjectAltNames");
    if (mode == XBackendTls.Mode.None) {
      if (validation != null) {
        tls.error("validation", "only for modes ServerOnly and ClientAndServer");
      }
      return new XBackendTls(mode, null, null);
    }
    if (mode != null && validation == null && !tls.has("validation")) {
      tls.error("validation", "required for mode " + mode + ": caCertificateRefs or wellKnownCACertificates: System,"
          + " and the hostname to check");
    }
    XBackendTls.Validation checked = validation == null ? null : validation(validation);
    return mode == null ? null : new XBackendTls(mode, client, checked);
  }

  private static XBackendTls.Validation validation(Fields validation) {
    List<ObjectReference> refs = validation.objects("caCertificateRefs", false, List.of("group", "kind", "name"), ref -> {
      String group = ref.string("group");
      String kind = ref.requiredString("kind");
      if (group != null && !group.isEmpty()) {
        ref.error("group", "must be \"\" (the core group of ConfigMap), got \"" + group + "\"");
      }
      if (kind != null && !kind.equals("ConfigMap")) {
        ref.error("kind", "must be ConfigMap, got \"" + kind + "\"");
      }
      String name = ref.requiredString("name");
      return name == null ? null : new ObjectReference("", "ConfigMap", name, null);
    });
    String wellKnown = validation.choice("wellKnownCACertificates", false, List.of("System"));
    boolean hasRefs = validation.has("caCertificateRefs") && !validation.emptyList("caCertificateRefs");
    if (hasRefs == validation.has("wellKnownCACertificates")) {
      validation.issues().add(validation.path(), "set exactly one of caCertificateRefs or wellKnownCACertificates: System");
    }
    if (refs != null && refs.size() > MAX_CA_REFS) {
      validation.error("caCertificateRefs", "at most " + MAX_CA_REFS + " references (got " + refs.size() + ")");
    }
    String hostname = validation.requiredString("hostname");
    if (hostname != null) {
      checkHostname(validation, "hostname", hostname);
    }
    List<String> sans = validation.objects("subjectAltNames", false, List.of("type", "hostname", "uri"), san -> {
      String type = san.choice("type", true, List.of("Hostname", "URI"));
      return type == null ? null : type.equals("Hostname") ? san.requiredString("hostname") : san.requiredString("uri");
    });
    if (sans != null && sans.size() > MAX_SANS) {
      validation.error("subjectAltNames", "at most " + MAX_SANS + " names (got " + sans.size() + ")");
    }
    return new XBackendTls.Validation(refs, wellKnown != null, hostname, sans);
  }
}
