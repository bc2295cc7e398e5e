package dev.aigis.server.egress;

import java.security.cert.CertificateException;

/**
 * A server certificate an XBackend's validation refused; the message says which check failed
 * (expired, untrusted, wrong name) and is shown to clients, so it never holds certificate bytes.
 */
public final class EgressTlsException extends CertificateException {

  public EgressTlsException(String check) {
    super(check);
  }
}
