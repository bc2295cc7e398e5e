package dev.aigis.app.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ResponseCache processor end to end: a real gateway with the shipped embedding model and
 * paraphrase check in front of fake OpenAI and Anthropic upstreams, driven by raw HTTP and the
 * official SDKs. The cache is attached to one HTTPRoute ({@code gpt-4o-mini} and
 * {@code claude-sonnet-4-5}); {@code gpt-4o} goes through another route without it. Each test asks its own questions
 * (the cache outlives tests), so tests do not depend on each other's order.
 */
class ResponseCacheEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ANTHROPIC_KEY = "sk-ant-upstream";
  static final int PROMPT_TOKENS = 10;
  static final int COMPLETION_TOKENS = 40;

  static FakeOpenAiUpstream openai;
  static FakeAnthropicUpstream anthropic;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    openai = FakeOpenAiUpstream.start();
    anthropic = FakeAnthropicUpstream.start(ANTHROPIC_KEY);
    gateway = GatewayFixture.start(config(openai.port(), anthropic.port()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
    openai.close();
  }

  @AfterEach
  void reset() {
    openai.reset();
  }

  static String config(int openaiPort, int anthropicPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
          timeouts: {connect: 2s, response: 10s, idle: 10s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: anthropic-key}
        stringData: {apiKey: %s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic}
        spec:
          schema: Anthropic
          endpoint: {url: "http://127.0.0.1:%d"}
          credentials: {secretRef: {name: anthropic-key, key: apiKey}}
          timeouts: {connect: 2s, response: 10s, idle: 10s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: cached}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet-4-5}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: uncached}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: cache}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: cached}
          phase: PostRouting
          processors:
          - name: answers
            type: ResponseCache
            timeout: 10s
            responseCache:
              ttl: 10m
              maxEntries: 1000
              maxTemperature: 1.0
        """.formatted(openaiPort, ANTHROPIC_KEY, anthropicPort);
  }

  static OpenAIClient sdk() {
    return OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("unused").build();
  }

  static ChatCompletionCreateParams ask(String model, String question) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(question).temperature(0.0).build();
  }

  static String unique(String question) {
    // A topic word the paraphrase keeps: each test gets questions no other test asked.
    return question.replace("TOPIC", "topic " + UUID.randomUUID().toString().substring(0, 8));
  }

  static void answerWith(String reply) {
    openai.setDefault(Behavior.ok().withReply(reply).withUsage(PROMPT_TOKENS, COMPLETION_TOKENS));
  }

  @Test
  void aParaphraseIsServedFromTheCacheToTheOpenAiSdkWithTheSameAnswerAndUsageAndNoUpstreamCall() {
    answerWith("Paris is the capital of France.");
    OpenAIClient client = sdk();
    HttpResponseFor<ChatCompletion> first = gateway.andStored(() -> client.chat().completions().withRawResponse()
        .create(ask("gpt-4o-mini", "What is the capital of France?")));
    assertThat(first.headers().values("x-aigis-cache")).containsExactly("miss");
    String answer = first.parse().choices().getFirst().message().content().orElseThrow();
    assertThat(answer).isEqualTo("Paris is the capital of France.");
    assertThat(openai.requests()).hasSize(1);

    HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse()
        .create(ask("gpt-4o-mini", "Tell me, what is the capital of France?"));
    assertThat(second.headers().values("x-aigis-cache")).containsExactly("hit");
    assertThat(second.headers().values("x-aigis-cache-tier")).containsExactly("semantic");
    double similarity = Double.parseDouble(second.headers().values("x-aigis-cache-similarity").getFirst());
    assertThat(similarity).isBetween(0.86, 1.0);
    ChatCompletion cached = second.parse();
    assertThat(cached.choices().getFirst().message().content()).contains(answer);
    assertThat(cached.usage().orElseThrow().promptTokens()).isEqualTo(PROMPT_TOKENS);
    assertThat(cached.usage().orElseThrow().completionTokens()).isEqualTo(COMPLETION_TOKENS);
    assertThat(openai.requests()).hasSize(1);
  }

  @Test
  void anIdenticalRequestIsAnExactHitAndAStreamedAskOfAPlainAnswerReplaysWellFormedChunksInOrder() {
    answerWith("Rome has been the capital of Italy since 1871.");
    String question = unique("In one sentence, since when is Rome the capital of Italy (TOPIC)?");
    OpenAIClient client = sdk();
    gateway.andStored(() -> client.chat().completions().create(ask("gpt-4o-mini", question)));
    assertThat(openai.requests()).hasSize(1);

    HttpResponseFor<ChatCompletion> exact = client.chat().completions().withRawResponse()
        .create(ask("gpt-4o-mini", question));
    assertThat(exact.headers().values("x-aigis-cache")).containsExactly("hit");
    assertThat(exact.headers().values("x-aigis-cache-tier")).containsExactly("exact");
    assertThat(exact.headers().values("x-aigis-cache-similarity")).containsExactly("1.0000");

    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(ask("gpt-4o-mini", "Please, " + question))) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> {
        choice.delta().content().ifPresent(text::append);
        choice.finishReason().ifPresent(reason -> finishes.add(reason.asString()));
      }));
    }
    assertThat(text.toString()).isEqualTo("Rome has been the capital of Italy since 1871.");
    assertThat(finishes).containsExactly("stop");
    assertThat(openai.requests()).hasSize(1);
  }

  @Test
  void aStreamedAnswerIsStoredAndItsParaphraseIsReplayedAsAStreamEndingWithDone() throws Exception {
    answerWith("Water boils at 100 degrees Celsius at sea level.");
    String question = unique("At what temperature does water boil at sea level, TOPIC?");
    HttpResponse<String> first = gateway.andStored(
        () -> gateway.post("/v1/chat/completions", chat("gpt-4o-mini", question, true)));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-aigis-cache")).contains("miss");
    assertThat(openai.requests()).hasSize(1);

    HttpResponse<String> second = gateway.post("/v1/chat/completions",
        chat("gpt-4o-mini", "Tell me " + question.toLowerCase(java.util.Locale.ROOT), true));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-aigis-cache")).contains("hit");
    assertThat(second.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    List<String> data = new ArrayList<>();
    for (String line : second.body().split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    assertThat(data.getLast()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    String finish = null;
    for (String event : data.subList(0, data.size() - 1)) {
      JsonNode chunk = JSON.readTree(event);
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      for (JsonNode choice : chunk.path("choices")) {
        assertThat(finish).as("no content after the finish reason").isNull();
        text.append(choice.path("delta").path("content").asText(""));
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.get("finish_reason").asText();
        }
      }
    }
    assertThat(text.toString()).isEqualTo("Water boils at 100 degrees Celsius at sea level.");
    assertThat(finish).isEqualTo("stop");
    assertThat(openai.requests()).hasSize(1);
  }

  @Test
  void aDifferentQuestionIsAMissAndGoesUpstream() {
    answerWith("An answer.");
    OpenAIClient client = sdk();
    gateway.andStored(() -> client.chat().completions().create(ask("gpt-4o-mini", "How do I reset my password?")));
    HttpResponseFor<ChatCompletion> other = client.chat().completions().withRawResponse()
        .create(ask("gpt-4o-mini", "How do I delete my account?"));
    assertThat(other.headers().values("x-aigis-cache")).containsExactly("miss");
    HttpResponseFor<ChatCompletion> swapped = client.chat().completions().withRawResponse()
        .create(ask("gpt-4o-mini", "What is the capital of Spain?"));
    assertThat(swapped.headers().values("x-aigis-cache")).containsExactly("miss");
    assertThat(openai.requests()).hasSize(3);
  }

  @Test
  void noStoreBypassesTheCacheBothWaysAndNoCacheSkipsOnlyTheLookup() {
    answerWith("Forty-two.");
    String question = unique("What is the answer to life, the universe and everything (TOPIC)?");
    HttpResponse<String> noStore = gateway.send(post(chat("gpt-4o-mini", question, false), "no-store"));
    assertThat(noStore.headers().firstValue("x-aigis-cache")).contains("miss");
    assertThat(noStore.headers().firstValue("x-aigis-cache-skip")).contains("no-store");
    HttpResponse<String> again = gateway.post("/v1/chat/completions", chat("gpt-4o-mini", question, false));
    assertThat(again.headers().firstValue("x-aigis-cache")).as("no-store stored nothing").contains("miss");
    assertThat(openai.requests()).hasSize(2);

    HttpResponse<String> noCache = gateway.andStored(
        () -> gateway.send(post(chat("gpt-4o-mini", question, false), "no-cache")));
    assertThat(noCache.headers().firstValue("x-aigis-cache")).contains("miss");
    assertThat(noCache.headers().firstValue("x-aigis-cache-skip")).contains("no-cache");
    assertThat(openai.requests()).hasSize(3);
    HttpResponse<String> cached = gateway.post("/v1/chat/completions", chat("gpt-4o-mini", question, false));
    assertThat(cached.headers().firstValue("x-aigis-cache")).contains("hit");
    assertThat(openai.requests()).hasSize(3);
  }

  @Test
  void anErrorAnswerIsNotCached() {
    String question = unique("Which planet is the largest, TOPIC?");
    openai.enqueue(Behavior.ok().withStatus(500));
    HttpResponse<String> failed = gateway.andStored(
        () -> gateway.post("/v1/chat/completions", chat("gpt-4o-mini", question, false)));
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    answerWith("Jupiter.");
    HttpResponse<String> retried = gateway.post("/v1/chat/completions", chat("gpt-4o-mini", question, false));
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.headers().firstValue("x-aigis-cache")).contains("miss");
    assertThat(retried.body()).contains("Jupiter.");
  }

  @Test
  void aRequestAboveTheTemperatureBoundIsNeitherServedNorStored() {
    answerWith("A poem.");
    String question = unique("Write a short poem about the sea and TOPIC.");
    String hot = "{\"model\":\"gpt-4o-mini\",\"temperature\":1.2,\"messages\":[{\"role\":\"user\",\"content\":"
        + quote(question) + "}]}";
    gateway.post("/v1/chat/completions", hot);
    HttpResponse<String> second = gateway.post("/v1/chat/completions", hot);
    assertThat(second.headers().firstValue("x-aigis-cache")).contains("miss");
    assertThat(second.headers().firstValue("x-aigis-cache-skip")).contains("temperature");
    assertThat(openai.requests()).hasSize(2);
  }

  @Test
  void aRouteWithoutTheCacheIsNeverServedFromIt() {
    answerWith("Paris.");
    String question = unique("Name the capital of France, TOPIC.");
    gateway.post("/v1/chat/completions", cold("gpt-4o", question));
    HttpResponse<String> second = gateway.post("/v1/chat/completions", cold("gpt-4o", question));
    assertThat(second.headers().firstValue("x-aigis-cache")).isEmpty();
    assertThat(openai.requests()).hasSize(2);
  }

  @Test
  void anAnthropicClientGetsACachedAnswerInItsOwnFormat() {
    String question = unique("What colour is the sky on a clear day, TOPIC?");
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("unused").build();
    MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
        .addUserMessage(question).build();
    var first = gateway.andStored(() -> client.messages().withRawResponse().create(params));
    assertThat(first.headers().values("x-aigis-cache")).containsExactly("miss");
    String answer = first.parse().content().getFirst().text().orElseThrow().text();
    int upstreamCalls = anthropic.requests().size();

    var second = client.messages().withRawResponse().create(params);
    assertThat(second.headers().values("x-aigis-cache")).containsExactly("hit");
    var cached = second.parse();
    assertThat(cached.content().getFirst().text().orElseThrow().text()).isEqualTo(answer);
    assertThat(cached.usage().outputTokens()).isPositive();
    assertThat(anthropic.requests()).hasSize(upstreamCalls);
  }

  static String cold(String model, String question) {
    return "{\"model\":\"" + model + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":"
        + quote(question) + "}]}";
  }

  static String chat(String model, String question, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"temperature\":0.2,\"messages\":[{\"role\":\"user\","
        + "\"content\":" + quote(question) + "}]}";
  }

  static HttpRequest post(String body, String cacheControl) {
    return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json").header("cache-control", cacheControl)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
