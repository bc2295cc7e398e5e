package dev.aigis.core.routing.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The processor over a hand-made router: what it writes where, what it reports, how it fails. */
class SemanticRouteProcessorTest {

  private static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
  }

  /** billing around angle 0, travel around pi/2; texts are embedded by a lookup. */
  static final SemanticRouter ROUTER = new SemanticRouter(List.of(
      new RouteExamples.Route("billing", "billing-model", List.of("a", "b")),
      new RouteExamples.Route("travel", "travel-model", List.of("c", "d"))),
      new NearestExamples(List.of(unit(0), unit(0.1), unit(Math.PI / 2), unit(Math.PI / 2 - 0.1)),
          new int[] {0, 0, 1, 1}, 2, 4),
      0.41, "general-model");

  static final Map<String, float[]> VECTORS = Map.of("invoice please", unit(0.05), "flight please", unit(1.5),
      "something else", unit(Math.PI));

  final List<String> decisions = new ArrayList<>();
  final RouteObserver observer = new RouteObserver() {
    @Override
    public void decided(String policy, String route, String confidence) {
      decisions.add(policy + " " + route + " " + confidence);
    }

    @Override
    public void classified(String policy, long nanos) {}
  };

  SemanticRouteProcessor processor(boolean rewriteModel, String header) {
    return new SemanticRouteProcessor("default/router/route", () -> ROUTER,
        text -> CompletableFuture.completedFuture(VECTORS.get(text)),
        new SemanticRouteProcessor.Settings(header, rewriteModel, false), observer, System::nanoTime);
  }

  static ProcessedRequest chat(String text, HeaderList headers) {
    var context = new ExchangeContext("r1", ApiEndpoint.CHAT_COMPLETIONS, null);
    String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    return new ProcessedRequest(context, "POST", "/v1/chat/completions", headers,
        body.getBytes(StandardCharsets.UTF_8), "auto");
  }

  static void run(Processor processor, ProcessedRequest request, Processor.ExchangeState state) {
    assertThat(processor.onRequestHeaders(request, state).toCompletableFuture().join()).isEqualTo(Verdict.CONTINUE);
    Verdict verdict = processor.onRequestBody(request, state).toCompletableFuture().join();
    assertThat(verdict).isInstanceOf(Verdict.EditThenContinue.class);
    ((Verdict.EditThenContinue) verdict).edits().run();
  }

  @Test
  void aConfidentRouteWritesItsTargetTheModelAndTheReasonBothWays() throws Exception {
    var processor = processor(true, "X-Gateway-Model-Name");
    var state = processor.newState();
    var request = chat("invoice please", HeaderList.of("X-Gateway-Model-Name", "auto",
        "x-aigis-route-reason", "route=travel; confidence=1.00"));

    run(processor, request, state);

    assertThat(request.headers().getAll("X-Gateway-Model-Name")).containsExactly("billing-model");
    assertThat(request.headers().getAll("x-aigis-route-reason")).singleElement().asString()
        .startsWith("route=billing; confidence=0.9");
    assertThat(request.model()).isEqualTo("billing-model");
    assertThat(request.context().pivot().editedOrNull().path("model").asText()).isEqualTo("billing-model");
    assertThat(request.context().attributes().get(RouteAttributes.DECISION).route()).isEqualTo("billing");
    assertThat(decisions).containsExactly("default/router/route billing high");

    var response = new ProcessedResponse(200, new HeaderList());
    processor.onResponseHeaders(request, response, state).toCompletableFuture().join();
    assertThat(response.headers().get("x-aigis-route-reason")).startsWith("route=billing; ");
  }

  @Test
  void anUnconfidentRequestGetsTheDefaultInTheConfiguredHeaderAndTheBodyIsLeftAlone() {
    var processor = processor(false, "x-route");
    var request = chat("something else", HeaderList.of("X-Gateway-Model-Name", "auto"));

    run(processor, request, processor.newState());

    assertThat(request.headers().get("x-route")).isEqualTo("general-model");
    assertThat(request.headers().get("X-Gateway-Model-Name")).isEqualTo("auto");
    assertThat(request.headers().get("x-aigis-route-reason")).matches("default; route=\\w+; confidence=0\\.00 below 0\\.41");
    assertThat(request.context().pivot().isEdited()).isFalse();
    assertThat(decisions).containsExactly("default/router/route default low");
  }

  @Test
  void aRequestWithoutUserTextTakesTheDefaultWithoutEmbedding() {
    var processor = new SemanticRouteProcessor("p", () -> ROUTER,
        text -> { throw new AssertionError("nothing to embed"); },
        new SemanticRouteProcessor.Settings("X-Gateway-Model-Name", false, false), observer, System::nanoTime);
    var request = chat("", HeaderList.of());

    run(processor, request, processor.newState());

    assertThat(request.headers().get("x-aigis-route-reason")).isEqualTo("default; no text to classify");
    assertThat(request.headers().get("X-Gateway-Model-Name")).isEqualTo("general-model");
  }

  @Test
  void aSaturatedEmbeddingServiceFailsTheStageForTheFailureModeToDecide() {
    var processor = new SemanticRouteProcessor("p", () -> ROUTER,
        text -> CompletableFuture.failedFuture(new Workers.Saturated("embedding queue full")),
        new SemanticRouteProcessor.Settings("X-Gateway-Model-Name", false, false), observer, System::nanoTime);
    var request = chat("invoice please", HeaderList.of());

    assertThatThrownBy(() -> processor.onRequestBody(request, processor.newState()).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(Workers.Saturated.class);
    assertThat(request.headers().get("X-Gateway-Model-Name")).isNull();
    assertThat(decisions).isEmpty();
  }

  @Test
  void aRequestWithNoChatFormIsLeftAlone() {
    var processor = processor(true, "X-Gateway-Model-Name");
    var context = new ExchangeContext("r1", ApiEndpoint.PASSTHROUGH, null);
    var request = new ProcessedRequest(context, "POST", "/v1/files", HeaderList.of(), new byte[] {1, 2}, null);

    assertThat(processor.onRequestBody(request, processor.newState()).toCompletableFuture().join())
        .isEqualTo(Verdict.CONTINUE);
    assertThat(decisions).isEmpty();
  }
}
