package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.refusedPort;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream leg's attempts: a failure before the response head goes to one {@link
 * UpstreamLeg.AttemptFailure} hook, which by default fails the exchange in the client's format and,
 * decorated, can send the same request again or to another backend while the client has seen
 * nothing. A real front door, a real fake upstream, and a port nobody listens on.
 */
class UpstreamAttemptsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  /** What the policy under test saw, one line per failed attempt. */
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private FrontDoorFixture gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  @Test
  void refusedConnectionFailsOverToTheRoutesOtherBackendBeforeTheClientSeesAnything() throws Exception {
    // The route always picks dead (weight 0 is never picked); live is there to fail over to.
    gateway = new FrontDoorFixture(gateway() + backend("dead", "OpenAI", refusedPort())
        + backend("live", "OpenAI", upstream.port()) + route("[]", """
            [{group: aigis.dev, kind: AIBackend, name: dead, weight: 1}, {group: aigis.dev, kind: AIBackend, name: live, weight: 0}]"""),
        failover());

    HttpResponse<String> response = chat();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/object").asText()).isEqualTo("chat.completion");
    assertThat(response.headers().firstValue("x-aigis-backend")).hasValue("default/live");
    assertThat(failures).containsExactly("attempt 1 to default/dead: upstream_unreachable");
    RecordedRequest received = upstream.lastRequest();
    assertThat(upstream.requests()).hasSize(1);
    assertThat(received.bodyText()).isEqualTo(CHAT);
    assertThat(received.header("authorization")).isEqualTo("Bearer sk-live");
  }

  @Test
  void upstreamThatClosesBeforeAnsweringIsSentTheSameRequestAgain() throws Exception {
    gateway = new FrontDoorFixture(oneBackend(upstream.port()), retryOnce());
    upstream.enqueue(Behavior.ok().closeConnection());
    upstream.enqueue(Behavior.ok().withReply("second time lucky"));

    HttpResponse<String> response = chat();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("second time lucky");
    assertThat(failures).containsExactly("attempt 1 to default/live: upstream_unreachable");
    assertThat(upstream.requests()).extracting(RecordedRequest::bodyText).containsExactly(CHAT, CHAT);
    assertThat(upstream.requests()).extracting(r -> r.header("x-request-id")).containsOnly("req-attempts");
  }

  @Test
  void withoutAPolicyAFailedAttemptFailsTheExchangeWithA502InTheClientsFormat() throws Exception {
    gateway = new FrontDoorFixture(oneBackend(refusedPort()), UnaryOperator.identity());

    HttpResponse<String> response = chat();

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("upstream_unreachable");
    assertThat(error.get("message").asText()).contains("default/live");
  }

  @Test
  void aPolicyThatGivesUpFallsBackToTheDefaultAnswer() throws Exception {
    gateway = new FrontDoorFixture(oneBackend(upstream.port()), retryOnce());
    upstream.enqueue(Behavior.ok().closeConnection());
    upstream.enqueue(Behavior.ok().closeConnection());

    HttpResponse<String> response = chat();

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("upstream_unreachable");
    assertThat(failures).containsExactly(
        "attempt 1 to default/live: upstream_unreachable", "attempt 2 to default/live: upstream_unreachable");
    assertThat(upstream.requests()).hasSize(2);
  }

  /** Sends a failed attempt once more to the same backend. */
  private UnaryOperator<UpstreamLeg.AttemptFailure> retryOnce() {
    return fallback -> (exchange, attempt, error, resend) -> {
      failures.add("attempt " + attempt.number() + " to " + exchange.backendName() + ": " + error.code());
      if (attempt.number() < 2 && resend != null) {
        resend.accept(attempt.next(attempt.backend(), attempt.adapter()));
      } else {
        fallback.failed(exchange, attempt, error, resend);
      }
    };
  }

  /** Sends a failed attempt to the route's next backend (both speak OpenAI, so the adapter stays). */
  private UnaryOperator<UpstreamLeg.AttemptFailure> failover() {
    return fallback -> (exchange, attempt, error, resend) -> {
      failures.add("attempt " + attempt.number() + " to " + exchange.backendName() + ": " + error.code());
      List<WeightedBackend> others = exchange.match().backends().all().stream()
          .filter(b -> b != attempt.backend()).toList();
      if (others.isEmpty() || resend == null) {
        fallback.failed(exchange, attempt, error, resend);
      } else {
        resend.accept(attempt.next(others.getFirst(), attempt.adapter()));
      }
    };
  }

  private HttpResponse<String> chat() throws Exception {
    return gateway.post("/v1/chat/completions", CHAT, "authorization", "Bearer sk-client", "x-request-id", "req-attempts");
  }

  private static String oneBackend(int port) {
    return gateway() + backend("live", "OpenAI", port) + route("[]", "[{group: aigis.dev, kind: AIBackend, name: live}]");
  }
}
