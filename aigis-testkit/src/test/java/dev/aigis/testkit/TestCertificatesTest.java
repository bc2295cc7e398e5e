package dev.aigis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestCertificatesTest {

  Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void certificateIsValidNowAndNamesHostsAndLoopback() throws Exception {
    var pair = TestCertificates.selfSigned("localhost", "upstream.test");

    assertThat(pair.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(pair.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(
            pair.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    certificate.checkValidity(new Date());
    certificate.verify(certificate.getPublicKey());
    assertThat(List.copyOf(certificate.getSubjectAlternativeNames()))
        .extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder("localhost", "upstream.test", "127.0.0.1");
  }

  @Test
  void vertxServesHttpsWithItAndAClientTrustsIt() throws Exception {
    var pair = TestCertificates.selfSigned("localhost");
    var server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(pair.keyCertOptions()))
        .requestHandler(req -> req.response().end("secure"));
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).actualPort();

    // Host name verification on: "localhost" must match the certificate's SAN.
    var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(pair.trustOptions()));
    String body = client.request(new RequestOptions().setHost("localhost").setPort(port)
            .setURI("/").setMethod(HttpMethod.GET))
        .compose(req -> req.send().compose(resp -> resp.body()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();

    assertThat(body).isEqualTo("secure");
  }

  @Test
  void tempFilesLoadAsPemKeyCertOptions() throws Exception {
    var files = TestCertificates.selfSigned("localhost").writeTempFiles();
    var server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(files.certificate().toString())
            .setKeyPath(files.privateKey().toString())))
        .requestHandler(req -> req.response().end());

    assertThat(server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).actualPort()).isPositive();
    assertThat(Files.readString(files.privateKey())).contains("PRIVATE KEY");
  }

  @Test
  void fakeUpstreamServesH2OverTls() throws Exception {
    var pair = TestCertificates.selfSigned("localhost");
    try (var upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(pair))) {
      assertThat(upstream.baseUrl()).startsWith("https://127.0.0.1:");
      var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
          .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(pair.trustOptions()));
      String result = client.request(new RequestOptions().setHost("127.0.0.1")
              .setPort(upstream.port()).setURI("/v1/models").setMethod(HttpMethod.GET))
          .compose(req -> req.send()
              .compose(resp -> resp.body().map(b -> resp.version() + " " + b)))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(result).startsWith("HTTP_2 {\"object\":\"list\"");
      assertThat(List.of(upstream.lastRequest().path())).containsExactly("/v1/models");
    }
  }
}
