package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.AzureReply;
import dev.aigis.testkit.FakeAzureOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI SDK through the gateway to an AzureOpenAI-schema backend (the fake checks Azure's wire rules). */
class AzureOpenAiEndToEndTest {

  static FakeAzureOpenAiUpstream azure;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    azure = FakeAzureOpenAiUpstream.start("azure-secret-key", Map.of("gpt-4o-prod", "gpt-4o"));
    gateway = GatewayFixture.start("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: azure}
        stringData: {apiKey: azure-secret-key}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: azure}
        spec:
          schema: AzureOpenAI
          apiVersion: "2024-10-21"
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: azure, key: apiKey}}
          modelNameOverride: gpt-4o-prod
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: azure}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: azure}]
        """.formatted(azure.baseUrl()));
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
    azure.close();
  }

  @BeforeEach
  void clear() {
    azure.reset();
  }

  @Test
  void chatGoesToTheDeploymentWithApiVersionAndApiKey() {
    azure.enqueue(AzureReply.text("Hello from Azure").withUsage(9, 3));

    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi").build());

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from Azure");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(9);
    RecordedRequest seen = azure.lastRequest();
    assertThat(seen.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    assertThat(seen.header("api-key")).isEqualTo("azure-secret-key");
    assertThat(seen.header("authorization")).isNull();
    assertThat(seen.json().has("model")).isFalse();
  }

  @Test
  void streamingSkipsAzuresPromptFilterChunkAndDeliversTokensInOrder() {
    azure.enqueue(AzureReply.text("one two three"));
    var text = new StringBuilder();
    var chunks = new ArrayList<ChatCompletionChunk>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("count").build())) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
      });
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.choices()).isNotEmpty());
    assertThat(azure.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void toolCallsComeBackAsOpenAiToolCalls() {
    azure.enqueue(AzureReply.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("weather in Paris?").build());
    ChatCompletionMessageToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
    assertThat(call.asFunction().id()).isEqualTo("call_1");
    assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
    assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  void azureErrorsKeepTheirStatusAndMessageInOpenAiFormat() {
    azure.enqueue(AzureReply.error(429, "429", "Requests to the ChatCompletions_Create Operation have exceeded the rate limit"));
    assertThatThrownBy(() -> client.chat().completions().create(
            ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi").build()))
        .isInstanceOfSatisfying(RateLimitException.class,
            e -> assertThat(e.getMessage()).contains("have exceeded the rate limit"));
  }

  @Test
  void imageInputReachesAzureAsAnImageUrlPart() {
    azure.enqueue(AzureReply.text("A red pixel."));
    String dataUrl = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessageOfArrayOfContentParts(java.util.List.of(
            com.openai.models.chat.completions.ChatCompletionContentPart.ofText(
                com.openai.models.chat.completions.ChatCompletionContentPartText.builder().text("What is this?").build()),
            com.openai.models.chat.completions.ChatCompletionContentPart.ofImageUrl(
                com.openai.models.chat.completions.ChatCompletionContentPartImage.builder()
                    .imageUrl(com.openai.models.chat.completions.ChatCompletionContentPartImage.ImageUrl.builder()
                        .url(dataUrl).build()).build())))
        .build());
    assertThat(completion.choices().getFirst().message().content()).contains("A red pixel.");
    var part = azure.lastRequest().json().path("messages").get(0).path("content").get(1);
    assertThat(part.path("type").asText()).isEqualTo("image_url");
    assertThat(part.path("image_url").path("url").asText()).isEqualTo(dataUrl);
  }
}
