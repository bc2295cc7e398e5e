package dev.aigis.testkit;

import java.util.Objects;

/**
 * How {@link FakeOpenAiUpstream} listens. Start from {@link #defaults()}.
 *
 * @param host address to bind, {@code 127.0.0.1} by default
 * @param port port to bind; 0 lets the OS choose a free one
 * @param eventLoopThreads event loops serving requests (1 by default: enough for tests; a
 *     benchmark should give the upstream enough threads that it is never the bottleneck)
 * @param tlsCertificatePem PEM certificate chain; with {@code tlsPrivateKeyPem} turns on HTTPS
 *     (ALPN h2 and http/1.1); {@code null} for cleartext (HTTP/1.1 and h2c)
 * @param tlsPrivateKeyPem PEM private key (PKCS#8) for {@code tlsCertificatePem}
 * @param recordRequests keep every request for {@link FakeOpenAiUpstream#requests()}; a benchmark
 *     turns this off so memory stays flat
 * @param pathPrefix a prefix the endpoints are also served under ({@code /custom} serves {@code POST
 *     /custom/v1/chat/completions} as a chat completion), as behind a gateway that rewrites paths;
 *     {@code ""} (the default) for none. Recorded requests keep the path as received.
 * @param scheduler time and timers for scripted delays and stream pacing: {@link
 *     Scheduler#system()} by default; a {@link ManualScheduler} in tests of pacing
 */
public record FakeOptions(
    String host,
    int port,
    int eventLoopThreads,
    String tlsCertificatePem,
    String tlsPrivateKeyPem,
    boolean recordRequests,
    String pathPrefix,
    Scheduler scheduler) {

  public FakeOptions {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    if (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/"))) {
      throw new IllegalArgumentException("pathPrefix must start with '/' and not end with it, got " + pathPrefix);
    }
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(scheduler, "scheduler");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (eventLoopThreads < 1) {
      throw new IllegalArgumentException("eventLoopThreads must be >= 1, got " + eventLoopThreads);
    }
    if ((tlsCertificatePem == null) != (tlsPrivateKeyPem == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and a private key");
    }
  }

  public static FakeOptions defaults() {
    return new FakeOptions("127.0.0.1", 0, 1, null, null, true, "", Scheduler.system());
  }

  public boolean tls() {
    return tlsCertificatePem != null;
  }

  public FakeOptions withHost(String host) {
    return new FakeOptions(host, port, eventLoopThreads, tlsCertificatePem, tlsPrivateKeyPem,
        recordRequests, pathPrefix, scheduler);
  }

  public FakeOptions withPort(int port) {
    return new FakeOptions(host, port, eventLoopThreads, tlsCertificatePem, tlsPrivateKeyPem,
        recordRequests, pathPrefix, scheduler);
  }

  public FakeOptions withEventLoopThreads(int threads) {
    return new FakeOptions(host, port, threads, tlsCertificatePem, tlsPrivateKeyPem,
        recordRequests, pathPrefix, scheduler);
  }

  public FakeOptions withTls(String certificatePem, String privateKeyPem) {
    return new FakeOptions(host, port, eventLoopThreads,
        Objects.requireNonNull(certificatePem, "certificatePem"),
        Objects.requireNonNull(privateKeyPem, "privateKeyPem"), recordRequests, pathPrefix, scheduler);
  }

  public FakeOptions withTls(TestCertificates.SelfSigned certificate) {
    return withTls(certificate.certificatePem(), certificate.privateKeyPem());
  }

  public FakeOptions withRecordRequests(boolean record) {
    return new FakeOptions(host, port, eventLoopThreads, tlsCertificatePem, tlsPrivateKeyPem,
        record, pathPrefix, scheduler);
  }

  public FakeOptions withPathPrefix(String prefix) {
    return new FakeOptions(host, port, eventLoopThreads, tlsCertificatePem, tlsPrivateKeyPem,
        recordRequests, prefix, scheduler);
  }

  /** Takes time and timers from {@code scheduler}, e.g. a {@link ManualScheduler} in a test. */
  public FakeOptions withScheduler(Scheduler scheduler) {
    return new FakeOptions(host, port, eventLoopThreads, tlsCertificatePem, tlsPrivateKeyPem,
        recordRequests, pathPrefix, scheduler);
  }
}
