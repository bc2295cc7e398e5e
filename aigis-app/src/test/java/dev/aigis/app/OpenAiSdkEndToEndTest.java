package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import dev.aigis.testkit.ManualScheduler;
import dev.aigis.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, pointed at a real gateway in front of the fake upstream. */
class OpenAiSdkEndToEndTest {

  /** The upstream's clock: only paced behaviours wait for it. */
  static final ManualScheduler time = new ManualScheduler();
  static final Duration WAIT = Duration.ofSeconds(10);

  static FakeOpenAiUpstream upstream;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(time));
    gateway = GatewayFixture.start(Configs.openAiUpstream(upstream.port()));
    client = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey("sk-client-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.reset();
  }

  @Test
  void chatCompletionGoesUpstreamWithTheBackendsCredentialsNotTheClients() {
    upstream.enqueue(Behavior.ok().withReply("Hello from upstream").withUsage(12, 4));

    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello").build());

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from upstream");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/chat/completions");
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-upstream-secret");
    assertThat(seen.header("x-gateway-model-name")).isEqualTo("gpt-4o-mini");
    assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(seen.header("accept-encoding")).isEqualTo("identity");
    assertThat(seen.headers()).doesNotContainKeys("connection", "keep-alive", "transfer-encoding");
    assertThat(seen.json().path("messages").get(0).path("content").asText()).isEqualTo("Say hello");
  }

  @Test
  void streamingChunksArriveInOrderAndIncrementally() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("one two three four five six") // one chunk per word
        .withTimeToFirstToken(Duration.ofMillis(50)).withTokensPerSecond(10));
    var chunks = new LinkedBlockingQueue<ChatCompletionChunk>();
    var text = new StringBuilder();
    var usageChunks = new ArrayList<ChatCompletionChunk>();
    var reading = new CompletableFuture<Void>();
    Thread.ofVirtual().start(() -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("count").build())) {
        stream.stream().forEach(chunks::add);
        reading.complete(null);
      } catch (RuntimeException e) {
        reading.completeExceptionally(e);
      }
    });

    // The upstream sends each word only when its time comes; each must reach the client before
    // the next is released, which a gateway that buffered the stream could not do.
    List<String> words = List.of("one", " two", " three", " four", " five", " six");
    for (int i = 0; i < words.size(); i++) {
      assertThat(time.awaitDelay(WAIT)).isEqualTo(Duration.ofMillis(i == 0 ? 50 : 100));
      time.advance(Duration.ofMillis(i == 0 ? 50 : 100));
      assertThat(nextContent(chunks, text, usageChunks)).as("word %d reaches the client", i + 1).isEqualTo(words.get(i));
    }
    reading.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    chunks.forEach(chunk -> collect(chunk, text, usageChunks));

    assertThat(text.toString()).isEqualTo("one two three four five six");
    // The client did not ask for usage, so the chunk the gateway asked for is not delivered...
    assertThat(usageChunks).isEmpty();
    // ...but upstream was asked for it, so the gateway can count tokens.
    assertThat(upstream.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  /** Takes chunks until one with content, which it returns; the role chunk's is empty. */
  private static String nextContent(LinkedBlockingQueue<ChatCompletionChunk> chunks, StringBuilder text,
      List<ChatCompletionChunk> usageChunks) throws InterruptedException {
    while (true) {
      ChatCompletionChunk chunk = chunks.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (chunk == null) {
        return null;
      }
      int before = text.length();
      collect(chunk, text, usageChunks);
      if (text.length() > before) {
        return text.substring(before);
      }
    }
  }

  private static void collect(ChatCompletionChunk chunk, StringBuilder text, List<ChatCompletionChunk> usageChunks) {
    chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
    if (chunk.choices().isEmpty()) {
      usageChunks.add(chunk);
    }
  }

  @Test
  void streamingUsageChunkIsDeliveredWhenTheClientAsksForIt() {
    upstream.enqueue(Behavior.ok().withReply("a b c").withTokens(3).withUsage(7, 3));
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("abc")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }

    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(7);
  }

  @Test
  void completionsAndEmbeddings() {
    upstream.enqueue(Behavior.ok().withReply("completed text"));
    Completion completion = client.completions().create(
        CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct").prompt("complete me").build());
    assertThat(completion.choices().getFirst().text()).isEqualTo("completed text");
    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/completions");

    CreateEmbeddingResponse embeddings = client.embeddings().create(
        EmbeddingCreateParams.builder().model("text-embedding-3-small").input("embed me").build());
    assertThat(embeddings.data()).hasSize(1);
    assertThat(embeddings.data().getFirst().embedding()).isNotEmpty();
    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/embeddings");
  }

  @Test
  void modelListNamesTheRoutedModels() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertThat(ids).containsExactly("gpt-4o-mini", "gpt-3.5-turbo-instruct", "text-embedding-3-small", "aigis-echo");
  }

  @Test
  void unknownModelIsA404NamingTheModel() {
    assertThatThrownBy(() -> client.chat().completions().create(
            ChatCompletionCreateParams.builder().model("gpt-nope").addUserMessage("hi").build()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.getMessage()).contains("gpt-nope");
        });
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void echoModelAnswersPlainAndStreamingWithUsage() {
    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("aigis-echo").addUserMessage("ping pong").build());
    assertThat(completion.choices().getFirst().message().content()).contains("ping pong");
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(2);

    var text = new StringBuilder();
    var usage = new ArrayList<Long>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("aigis-echo").addUserMessage("stream me back")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunk -> {
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
      });
    }
    assertThat(text.toString()).isEqualTo("stream me back");
    assertThat(usage).containsExactly(3L);
    assertThat(upstream.requests()).isEmpty();
  }
}
