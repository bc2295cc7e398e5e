package dev.aigis.model.snapshot;

import dev.aigis.model.Gateway;
import dev.aigis.model.gateway.Listener;

/**
 * A listener with its Gateway and, for HTTPS, the certificate chain and private key (PEM) taken from
 * the referenced Secret. {@code tls} is null for plain HTTP.
 */
public record BoundListener(Gateway gateway, Listener listener, TlsMaterial tls) {

  public int port() {
    return listener.port();
  }

  /** Certificate chain and key in PEM. The key is secret: {@link #toString()} never prints it. */
  public record TlsMaterial(byte[] certificateChainPem, byte[] privateKeyPem) {
    @Override
    public String toString() {
      return "TlsMaterial[redacted]";
    }
  }
}
