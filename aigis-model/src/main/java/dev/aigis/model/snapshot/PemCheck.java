package dev.aigis.model.snapshot;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.regex.Pattern;

/**
 * Checks TLS material when configuration is compiled, so a broken certificate is refused by
 * {@code validate} and by a reload instead of failing when the listener binds. Messages never
 * contain the key material.
 */
final class PemCheck {

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----\\s*[A-Za-z0-9+/=\\s]+-----END (RSA |EC |ENCRYPTED )?PRIVATE KEY-----");

  private PemCheck() {}

  /** Null when {@code pem} holds at least one parseable X.509 certificate; otherwise why not. */
  static String certificateChain(byte[] pem) {
    try {
      var certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      return certificates.isEmpty() ? "tls.crt holds no PEM certificate" : null;
    } catch (CertificateException e) {
      return "tls.crt is not a PEM certificate chain";
    }
  }

  /** Null when {@code pem} looks like a PEM private key (PKCS#8, PKCS#1 or SEC1); otherwise why not. */
  static String privateKey(byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (text.contains("ENCRYPTED PRIVATE KEY")) {
      return "tls.key is encrypted; provide an unencrypted key";
    }
    return PRIVATE_KEY.matcher(text).find() ? null : "tls.key is not a PEM private key";
  }
}
