package dev.aigis.model.backend;

import dev.aigis.model.route.ObjectReference;
import java.util.List;

/**
 * An XBackend's {@code spec.tls}: the mode, the client certificate for {@code ClientAndServer}, and
 * how the server's certificate is checked (Gateway API's BackendTLSPolicyValidation).
 *
 * @param clientCertificateRef a {@code kubernetes.io/tls} Secret; set iff the mode is ClientAndServer
 * @param validation null only for mode None
 */
public record XBackendTls(Mode mode, ObjectReference clientCertificateRef, Validation validation) {

  public enum Mode { None, ServerOnly, ClientAndServer }

  /**
   * @param caCertificateRefs ConfigMaps holding {@code ca.crt}; exclusive with {@code systemCertificates}
   * @param systemCertificates {@code wellKnownCACertificates: System}: the JDK's trust store
   * @param hostname sent as SNI, and matched against the certificate unless {@code subjectAltNames} is set
   * @param subjectAltNames names of which the certificate must carry one (DNS names, or URIs)
   */
  public record Validation(List<ObjectReference> caCertificateRefs, boolean systemCertificates, String hostname,
      List<String> subjectAltNames) {
    public Validation {
      caCertificateRefs = caCertificateRefs == null ? List.of() : List.copyOf(caCertificateRefs);
      subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
    }
  }
}
