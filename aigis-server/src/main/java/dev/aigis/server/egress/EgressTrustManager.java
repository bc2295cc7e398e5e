package dev.aigis.server.egress;

import dev.aigis.model.snapshot.EgressTarget;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks an XBackend's server certificate, one check at a time so a refusal names the check that
 * failed: the leaf's validity period (against the injected clock), the chain up to the configured
 * CAs (or the JDK's when {@code wellKnownCACertificates: System}), then the name: {@code
 * validation.hostname}, or one of {@code subjectAltNames} when listed. It is the only verifier of
 * the connection (Vert.x's own host check is off because the name checked may differ from the one
 * dialled), and it has no lenient mode.
 */
public final class EgressTrustManager extends X509ExtendedTrustManager {

  private final X509TrustManager chain;
  private final EgressTarget target;
  private final InstantSource clock;

  public EgressTrustManager(EgressTarget target, InstantSource clock) {
    this.target = target;
    this.clock = clock;
    this.chain = chainValidator(target.caPem());
  }

  private static X509TrustManager chainValidator(String caPem) {
    try {
      KeyStore store = null;
      if (caPem != null) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (var certificate : CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
      }
      var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store); // null: the JDK's system CAs
      for (var manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      // The compiler checked the PEM; reaching here means the JDK refused it.
      throw new IllegalStateException("cannot load CA certificates", e);
    }
  }

  private void check(X509Certificate[] certificates, String authType) throws CertificateException {
    if (certificates == null || certificates.length == 0) {
      throw new EgressTlsException(EgressTlsException.Check.UNTRUSTED, "the server sent no certificate");
    }
    X509Certificate leaf = certificates[0];
    try {
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw new EgressTlsException(EgressTlsException.Check.EXPIRED, "the server certificate has expired (not after " + leaf.getNotAfter().toInstant() + ")");
    } catch (CertificateNotYetValidException e) {
      throw new EgressTlsException(EgressTlsException.Check.NOT_YET_VALID, "the server certificate is not valid yet (not before " + leaf.getNotBefore().toInstant() + ")");
    }
    try {
      chain.checkServerTrusted(certificates, authType);
    } catch (CertificateException e) {
      throw new EgressTlsException(EgressTlsException.Check.UNTRUSTED, "the server certificate is not trusted by "
          + (target.caPem() == null ? "the system CA certificates" : "the configured CA certificates"));
    }
    List<String> wanted = target.subjectAltNames().isEmpty() ? List.of(target.verifyHostname()) : target.subjectAltNames();
    List<String> names = names(leaf);
    for (String name : wanted) {
      for (String presented : names) {
        if (matches(presented, name)) {
          return;
        }
      }
    }
    throw new EgressTlsException(EgressTlsException.Check.WRONG_NAME, "the server certificate does not match "
        + (wanted.size() == 1 ? "the name " + wanted.getFirst() : "any of the names " + String.join(", ", wanted)));
  }

  /** DNS and URI subject alternative names; the CN is not used (RFC 6125 §6.4.4, as browsers do). */
  private static List<String> names(X509Certificate certificate) throws CertificateException {
    List<String> out = new ArrayList<>();
    var sans = certificate.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if (type == 2 || type == 6) { // dNSName, uniformResourceIdentifier
          out.add(String.valueOf(san.get(1)));
        }
      }
    }
    return out;
  }

  /** A presented {@code *.example.com} matches one label, never the bare suffix; URIs match exactly. */
  static boolean matches(String presented, String wanted) {
    String p = presented.toLowerCase(Locale.ROOT);
    String w = wanted.toLowerCase(Locale.ROOT);
    if (p.startsWith("*.")) {
      int dot = w.indexOf('.');
      return dot > 0 && w.substring(dot).equals(p.substring(1));
    }
    return p.equals(w);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
    check(certificates, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
    check(certificates, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
    check(certificates, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
    throw new CertificateException("a client-side trust manager");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("a client-side trust manager");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("a client-side trust manager");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chain.getAcceptedIssuers();
  }
}
