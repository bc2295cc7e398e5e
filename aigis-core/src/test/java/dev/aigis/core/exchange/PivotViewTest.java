package dev.aigis.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.TranslationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PivotViewTest {

  private static final String ANTHROPIC_REQUEST = """
      {"model": "claude-sonnet-4-5", "max_tokens": 256, "system": "Be brief.",
       "messages": [{"role": "user", "content": "Hello"}]}
      """;

  private static final String OPENAI_PIVOT = """
      {"model": "claude-sonnet-4-5",
       "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}],
       "max_tokens": 256}
      """;

  private static ProcessedRequest request(ApiEndpoint endpoint, String body) {
    var context = new ExchangeContext("req-1", endpoint, null);
    return new ProcessedRequest(context, "POST", "/v1/messages", HeaderList.of(),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), "claude-sonnet-4-5");
  }

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  @Test
  void anAnthropicBodyIsSeenAsTheOpenAiChatPivot() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, ANTHROPIC_REQUEST);

    ObjectNode pivot = request.context().pivot().request();

    assertThat((JsonNode) pivot).isEqualTo(json(OPENAI_PIVOT));
    assertThat(request.context().pivot().request()).as("built once").isSameAs(pivot);
    assertThat(request.context().pivotEdited()).isFalse();
    assertThat(request.context().pivot().editedOrNull()).isNull();
  }

  @Test
  void editedMarksThePivotAsTheRequest() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, ANTHROPIC_REQUEST);
    PivotView view = request.context().pivot();

    view.request().put("max_tokens", 64);
    view.edited();

    assertThat(view.isEdited()).isTrue();
    assertThat(request.context().pivotEdited()).isTrue();
    assertThat(view.editedOrNull().path("max_tokens").asInt()).isEqualTo(64);
    assertThat(request.bodyChanged()).as("the client's bytes are left alone").isFalse();
  }

  @Test
  void replacingTheBodyBytesDropsTheEdit() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, ANTHROPIC_REQUEST);
    PivotView view = request.context().pivot();
    view.request().put("max_tokens", 64);
    view.edited();

    request.setBody("""
        {"model": "claude-haiku-4-5", "max_tokens": 32, "messages": [{"role": "user", "content": "Bye"}]}
        """.getBytes(StandardCharsets.UTF_8));

    assertThat(view.isEdited()).isFalse();
    assertThat(view.editedOrNull()).isNull();
    assertThat(request.context().pivotEdited()).isFalse();
    assertThat(view.request().path("model").asText()).as("rebuilt from the new bytes").isEqualTo("claude-haiku-4-5");
    assertThat(view.request().path("max_tokens").asInt()).isEqualTo(32);
  }

  @Test
  void editedBeforeRequestIsAMistake() {
    PivotView view = request(ApiEndpoint.ANTHROPIC_MESSAGES, ANTHROPIC_REQUEST).context().pivot();

    assertThatThrownBy(view::edited).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void endpointsWithoutAChatFormHaveNoPivot() {
    PivotView view = request(ApiEndpoint.EMBEDDINGS, "{\"model\":\"e\",\"input\":\"x\"}").context().pivot();

    assertThatThrownBy(view::request).isInstanceOfSatisfying(TranslationException.class, e ->
        assertThat(e.error()).isEqualTo(new GatewayError.InvalidRequest("this request has no chat form for processors to read", null)));
  }

  @Test
  void anUnbufferedBodyHasNoPivot() {
    PivotView view = request(ApiEndpoint.CHAT_COMPLETIONS, null).context().pivot();

    assertThatThrownBy(view::request).isInstanceOf(TranslationException.class);
  }

  @Test
  void aBodyThatIsNotJsonIsAnInvalidRequest() {
    PivotView view = request(ApiEndpoint.ANTHROPIC_MESSAGES, "{not json").context().pivot();

    assertThatThrownBy(view::request).isInstanceOfSatisfying(TranslationException.class, e ->
        assertThat(e.error()).isEqualTo(new GatewayError.InvalidRequest("Request body must be a JSON object", null)));
  }
}
