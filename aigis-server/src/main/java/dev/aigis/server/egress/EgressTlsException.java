package dev.aigis.server.egress;

import java.security.cert.CertificateException;

/**
 * A server certificate an XBackend's validation refused; the message says which check failed
 * (expired, untrusted, wrong name) and is shown to clients, so it never holds certificate bytes.
 * {@link #check()} names the check from a closed set, for the TLS-failure metric.
 */
public final class EgressTlsException extends CertificateException {

  /** Which check failed, as {@code aigis_egress_tls_failures_total}'s {@code check} label spells it. */
  public enum Check {
    EXPIRED("expired"), NOT_YET_VALID("not_yet_valid"), WRONG_NAME("wrong_name"), UNTRUSTED("untrusted"),
    CA_UNUSABLE("ca_unusable"), HANDSHAKE("handshake");

    public final String label;

    Check(String label) {
      this.label = label;
    }
  }

  private final Check check;

  public EgressTlsException(Check check, String message) {
    super(message);
    this.check = check;
  }

  public Check check() {
    return check;
  }
}
