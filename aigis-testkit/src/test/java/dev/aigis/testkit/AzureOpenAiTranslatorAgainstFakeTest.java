package dev.aigis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.backend.BackendAuth;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.azure.OpenAiToAzureOpenAiChatTranslator;
import dev.aigis.core.usage.TokenUsage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Azure translator's requests are accepted by the fake and its answers read back. */
class AzureOpenAiTranslatorAgainstFakeTest {

  static final String PIVOT = """
      {"model":"claude-3-5-sonnet-latest","messages":[{"role":"user","content":"Say hello"}]}""";

  static FakeAzureOpenAiUpstream upstream;

  @BeforeAll
  static void start() {
    upstream = FakeAzureOpenAiUpstream.start("k1", Map.of("prod eu", "gpt-4o-2024-08-06"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  static HttpResponse<byte[]> send(UpstreamCall call) {
    var request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + call.pathAndQuery()))
        .timeout(Duration.ofSeconds(10))
        .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    call.headers().forEach(request::header);
    try {
      return Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode pivot() throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(PIVOT);
  }

  @Test
  void plainAnswer() throws Exception {
    upstream.enqueue(AzureReply.text("Hello!").withUsage(4, 2));
    var translator = new OpenAiToAzureOpenAiChatTranslator("2024-10-21");
    var response = send(keyed(translator.chatRequest(pivot(), new BackendCall("prod eu", false, "")), "k1"));
    assertThat(response.statusCode()).isEqualTo(200);
    ObjectNode completion = translator.chatResponse(response.body());
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Hello!");
    assertThat(translator.usage()).isEqualTo(TokenUsage.of(4, 2));
    assertThat(upstream.lastRequest().json().has("model")).isFalse();
    assertThat(upstream.lastRequest().header("authorization")).isNull();
  }

  @Test
  void streamSkipsThePromptFilterChunkAndKeepsTheUsageChunk() throws Exception {
    upstream.enqueue(AzureReply.text("One two three").withUsage(4, 3));
    var translator = new OpenAiToAzureOpenAiChatTranslator("2024-10-21");
    var response = send(keyed(translator.chatRequest(pivot(), new BackendCall("prod eu", true, "")), "k1"));
    List<ObjectNode> chunks = new ArrayList<>();
    byte[] body = response.body();
    for (int i = 0; i < body.length; i += 7) {
      translator.streamBytes(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + 7)), chunks::add);
    }
    translator.streamEnd(chunks::add);
    assertThat(chunks).allMatch(c -> !c.has("prompt_filter_results"));
    assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks.getLast().path("choices").isEmpty()).isTrue();
    assertThat(translator.usage()).isEqualTo(TokenUsage.of(4, 3));
  }

  @Test
  void contentFilterFinishPassesThrough() throws Exception {
    upstream.enqueue(AzureReply.contentFiltered("I"));
    var translator = new OpenAiToAzureOpenAiChatTranslator("2024-10-21");
    var response = send(keyed(translator.chatRequest(pivot(), new BackendCall("prod eu", true, "")), "k1"));
    List<ObjectNode> chunks = new ArrayList<>();
    translator.streamBytes(response.body(), chunks::add);
    translator.streamEnd(chunks::add);
    assertThat(chunks).anyMatch(c -> "content_filter".equals(c.at("/choices/0/finish_reason").asText()));
  }

  @Test
  void refusalsBecomeProviderErrors() throws Exception {
    var translator = new OpenAiToAzureOpenAiChatTranslator("2024-10-21");
    var wrongKey = send(keyed(translator.chatRequest(pivot(), new BackendCall("prod eu", false, "")), "nope"));
    assertThat(translator.upstreamError(wrongKey.statusCode(), wrongKey.body()))
        .isEqualTo(new GatewayError.ProviderError(401, "authentication_error", "401",
            Json.MAPPER.readTree(FakeAzureOpenAiUpstream.ACCESS_DENIED).at("/error/message").asText(),
            "AzureOpenAI"));
    var missing = send(keyed(translator.chatRequest(pivot(), new BackendCall("other", false, "")), "k1"));
    assertThat(translator.upstreamError(missing.statusCode(), missing.body()).code()).isEqualTo("DeploymentNotFound");
    upstream.enqueue(AzureReply.promptFiltered());
    var filtered = send(keyed(translator.chatRequest(pivot(), new BackendCall("prod eu", false, "")), "k1"));
    GatewayError error = translator.upstreamError(filtered.statusCode(), filtered.body());
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.code()).isEqualTo("content_filter");
    assertThat(error.message()).isEqualTo(AzureReply.CONTENT_FILTER_MESSAGE);
  }

  @Test
  void anErrorBodyIsNotACompletion() {
    var translator = new OpenAiToAzureOpenAiChatTranslator("2024-10-21");
    assertThatThrownBy(() -> translator.chatResponse(FakeAzureOpenAiUpstream.RESOURCE_NOT_FOUND.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TranslationException.class);
  }

  /** The key as the gateway adds it to every Azure call ({@code BackendAuth}, not the translator). */
  private static UpstreamCall keyed(UpstreamCall call, String key) {
    return new BackendAuth.ApiKeyHeader("api-key").authorize(call, key);
  }
}
