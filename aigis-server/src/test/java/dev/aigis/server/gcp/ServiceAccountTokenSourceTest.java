package dev.aigis.server.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.backend.ServiceAccountKey;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.TestServiceAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service-account token flow against the fake's token endpoint, which verifies the signed assertion. */
class ServiceAccountTokenSourceTest {

  /** A clock the test moves; it starts 58 minutes in the past so a moved clock still signs assertions the fake's real clock accepts. */
  static final class TestClock implements InstantSource {
    volatile Instant now = Instant.now().minus(Duration.ofMinutes(58));

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  static TestServiceAccount account;
  static FakeGeminiUpstream google;
  static Vertx vertx;
  static final java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
  TestClock clock;
  ServiceAccountTokenSource source;

  @BeforeAll
  static void start() {
    account = TestServiceAccount.generate();
    google = FakeGeminiUpstream.startVertex(account);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    google.close();
  }

  @BeforeEach
  void fresh() {
    google.reset();
    clock = new TestClock();
    source = source(account);
  }

  ServiceAccountTokenSource source(TestServiceAccount sa) {
    return new ServiceAccountTokenSource(client, ServiceAccountKey.parse(sa.keyJson(google.tokenUrl())),
        google.tokenUrl(), clock);
  }

  static String await(Future<String> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aTokenIsFetchedOnceAndCached() throws Exception {
    int before = google.tokensIssued();
    String first = await(source.token());
    String second = await(source.token());

    assertThat(first).startsWith("ya29.fake-").isEqualTo(second);
    assertThat(google.tokensIssued() - before).isEqualTo(1);
  }

  @Test
  void theTokenIsRefreshedFiveMinutesBeforeItExpires() throws Exception {
    int before = google.tokensIssued();
    String first = await(source.token());

    clock.advance(Duration.ofMinutes(54).plusSeconds(59));
    assertThat(await(source.token())).isEqualTo(first);

    clock.advance(Duration.ofSeconds(2));
    String refreshed = await(source.token());
    assertThat(refreshed).isNotEqualTo(first);
    assertThat(google.tokensIssued() - before).isEqualTo(2);
  }

  @Test
  void concurrentRequestsShareOneRefresh() throws Exception {
    int before = google.tokensIssued();
    List<Future<String>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      futures.add(source.token());
    }
    String token = await(futures.getFirst());
    for (Future<String> f : futures) {
      assertThat(await(f)).isEqualTo(token);
    }
    assertThat(google.tokensIssued() - before).isEqualTo(1);
  }

  @Test
  void aFailedRefreshIsReportedAndNotCached() throws Exception {
    google.setTokenStatus(503);
    assertThatThrownBy(() -> await(source.token()))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TokenSource.TokenException.class)
        .hasMessageContaining("503");

    google.setTokenStatus(200);
    assertThat(await(source.token())).startsWith("ya29.fake-");
  }

  @Test
  void anAssertionSignedWithAnotherKeyIsRefused() {
    TestServiceAccount impostor = new TestServiceAccount(account.clientEmail(),
        TestServiceAccount.generate().keyPair(), "other");
    assertThatThrownBy(() -> await(source(impostor).token()))
        .hasCauseInstanceOf(TokenSource.TokenException.class)
        .hasMessageContaining("400 invalid_grant");
  }

  @Test
  void anUnreachableTokenEndpointFails() {
    var unreachable = new ServiceAccountTokenSource(client, ServiceAccountKey.parse(account.keyJson("x")),
        "http://127.0.0.1:1/token", clock);
    assertThatThrownBy(() -> await(unreachable.token()))
        .hasCauseInstanceOf(TokenSource.TokenException.class)
        .hasMessageContaining("unreachable");
  }

  @Test
  void theKeyJsonIsValidatedAndRedacted() {
    assertThatThrownBy(() -> ServiceAccountKey.parse("{\"client_email\":\"a@b\"}"))
        .hasMessageContaining("client_email and private_key are required");
    assertThatThrownBy(() -> ServiceAccountKey.parse("not json")).hasMessageContaining("not valid JSON");
    ServiceAccountKey key = ServiceAccountKey.parse(account.keyJson("https://t"));
    assertThat(key.toString()).doesNotContain("PRIVATE KEY").contains("redacted");
  }
}
