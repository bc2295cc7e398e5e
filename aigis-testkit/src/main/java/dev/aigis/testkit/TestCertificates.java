package dev.aigis.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away TLS material for tests: ECDSA P-256 certificates, valid from a day ago for 30 days,
 * generated in memory (a few milliseconds, so each test can have its own).
 */
public final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  /**
   * A self-signed server/client certificate whose subject alternative names are {@code dnsNames}
   * plus the IP address 127.0.0.1 (and {@code localhost} when no name is given). The first name
   * is the subject CN. A client trusts it by using the certificate itself as trust anchor.
   */
  public static SelfSigned selfSigned(String... dnsNames) {
    Instant now = Instant.now();
    return selfSigned(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), dnsNames);
  }

  /** As {@link #selfSigned(String...)}, valid from {@code notBefore} to {@code notAfter} (an expired one, say). */
  public static SelfSigned selfSigned(Instant notBefore, Instant notAfter, String... dnsNames) {
    List<String> names = dnsNames.length == 0 ? List.of("localhost") : List.of(dnsNames);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair keys = generator.generateKeyPair();

      var subject = new X500Name("CN=" + names.getFirst());
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      names.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
      sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      builder.addExtension(
          Extension.subjectAlternativeName, false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      X509CertificateHolder certificate =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));

      return new SelfSigned(
          pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a test certificate", e);
    }
  }

  private static String pem(Object object) throws IOException {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** A certificate and its key, both PEM; the key is PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  public record SelfSigned(String certificatePem, String privateKeyPem) {

    /** Server (or client) identity for Vert.x. */
    public PemKeyCertOptions keyCertOptions() {
      return new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(certificatePem))
          .addKeyValue(Buffer.buffer(privateKeyPem));
    }

    /** Trust just this certificate, for the other side of the connection. */
    public PemTrustOptions trustOptions() {
      return new PemTrustOptions().addCertValue(Buffer.buffer(certificatePem));
    }

    /** Writes both PEMs to new temp files (deleted when the JVM exits). */
    public PemFiles writeTempFiles() {
      try {
        Path cert = Files.createTempFile("aigis-test-cert-", ".pem");
        Path key = Files.createTempFile("aigis-test-key-", ".pem");
        cert.toFile().deleteOnExit();
        key.toFile().deleteOnExit();
        Files.writeString(cert, certificatePem);
        Files.writeString(key, privateKeyPem);
        return new PemFiles(cert, key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return "SelfSigned[" + certificatePem.length() + " chars of certificate, key hidden]";
    }
  }

  /** Paths of the PEM files written by {@link SelfSigned#writeTempFiles()}. */
  public record PemFiles(Path certificate, Path privateKey) {}
}
