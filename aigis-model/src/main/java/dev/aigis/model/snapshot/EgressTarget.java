package dev.aigis.model.snapshot;

import dev.aigis.model.XBackend;
import dev.aigis.model.backend.XBackendTls;
import java.util.List;

/**
 * How the data plane connects to an XBackend, with the referenced material read: the CA bundle of
 * its ConfigMaps and the client certificate of its Secret. {@link #toString()} never prints the key.
 *
 * @param xbackend {@code namespace/name} of the XBackend
 * @param caPem the trusted CAs (PEM), or null for the JDK's system CAs or for mode None
 * @param caProblem why the CA reference cannot be used (a missing ConfigMap or {@code ca.crt}, no PEM
 *     certificate in it), or null: requests then fail with that reason, never unverified
 * @param verifyHostname SNI, and the name the certificate must carry unless {@code subjectAltNames} is set
 * @param proxy the HTTP forward proxy to tunnel through ({@code spec.proxy}), or null to dial directly
 */
public record EgressTarget(
    String xbackend,
    String hostname,
    int port,
    XBackend.Protocol protocol,
    XBackendTls.Mode mode,
    String caPem,
    String caProblem,
    String clientCertificatePem,
    String clientKeyPem,
    String verifyHostname,
    List<String> subjectAltNames,
    ForwardProxy proxy) {

  public EgressTarget {
    subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
  }

  /** A target dialled directly, without a forward proxy. */
  public EgressTarget(String xbackend, String hostname, int port, XBackend.Protocol protocol, XBackendTls.Mode mode,
      String caPem, String caProblem, String clientCertificatePem, String clientKeyPem, String verifyHostname,
      List<String> subjectAltNames) {
    this(xbackend, hostname, port, protocol, mode, caPem, caProblem, clientCertificatePem, clientKeyPem, verifyHostname,
        subjectAltNames, null);
  }

  public EgressTarget withProxy(ForwardProxy proxy) {
    return new EgressTarget(xbackend, hostname, port, protocol, mode, caPem, caProblem, clientCertificatePem,
        clientKeyPem, verifyHostname, subjectAltNames, proxy);
  }

  public boolean tls() {
    return mode != XBackendTls.Mode.None;
  }

  @Override
  public String toString() {
    return "EgressTarget[" + xbackend + " -> " + hostname + ":" + port + ", " + protocol + ", " + mode
        + (caProblem == null ? "" : ", caProblem=" + caProblem)
        + (clientKeyPem == null ? "" : ", clientKey=redacted")
        + (proxy == null ? "" : ", via " + proxy) + "]";
  }
}
