package dev.aigis.testkit;

import static dev.aigis.testkit.Http.json;
import static dev.aigis.testkit.Http.post;
import static dev.aigis.testkit.Http.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire shape of each endpoint, plain and streamed. */
class FakeOpenAiUpstreamEndpointsTest {

  static FakeOpenAiUpstream upstream;

  static final String CHAT = """
      {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}""";
  static final String CHAT_STREAM = """
      {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";
  static final String CHAT_STREAM_USAGE = """
      {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},
       "messages":[{"role":"user","content":"Say hello"}]}""";

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start();
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.reset();
  }

  @Test
  void chatCompletionHasOpenAiShapeAndEchoesTheModel() {
    upstream.enqueue(Behavior.ok().withReply("Hi there, friend").withUsage(11, 3));

    HttpResponse<String> response = post(upstream, "/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = json(response.body());
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("created").asLong()).isPositive();
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("index").asInt()).isZero();
    assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
    assertThat(choice.get("message").get("content").asText()).isEqualTo("Hi there, friend");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = body.get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(11);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(3);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(14);
  }

  @Test
  void defaultUsageEstimatesPromptAndCountsChunks() {
    JsonNode usage = json(post(upstream, "/v1/chat/completions", CHAT).body()).get("usage");

    assertThat(usage.get("prompt_tokens").asInt()).isPositive();
    assertThat(usage.get("completion_tokens").asInt()).isPositive();
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(
        usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
  }

  @Test
  void modelNamesAreEscapedIntoValidJson() {
    String body = post(upstream, "/v1/chat/completions", """
        {"model":"we\\"ird/\\u00e9","messages":[{"role":"user","content":"x"}]}""").body();

    assertThat(json(body).get("model").asText()).isEqualTo("we\"ird/é");
  }

  @Test
  void streamedChatSendsRoleContentStopAndDoneWithoutUsage() {
    upstream.enqueue(Behavior.ok().withReply("One two three"));

    HttpResponse<String> response = post(upstream, "/v1/chat/completions", CHAT_STREAM);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/event-stream");
    List<String> events = sseData(response.body());
    assertThat(events).hasSize(1 + 3 + 1 + 1).last().isEqualTo("[DONE]");
    List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Http::json).toList();
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(c.has("usage")).isFalse();
    });
    assertThat(chunks).extracting(c -> c.get("id").asText()).containsOnly(
        chunks.getFirst().get("id").asText());
    assertThat(chunks.get(0).get("choices").get(0).get("delta").get("role").asText())
        .isEqualTo("assistant");
    assertThat(chunks.subList(1, 4))
        .extracting(c -> c.get("choices").get(0).get("delta").get("content").asText())
        .containsExactly("One", " two", " three");
    JsonNode stop = chunks.get(4).get("choices").get(0);
    assertThat(stop.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(stop.get("delta").isEmpty()).isTrue();
  }

  @Test
  void streamedChatSendsUsageChunkOnlyWhenAsked() {
    upstream.enqueue(Behavior.ok().withTokens(4).withUsage(7, 4));

    List<String> events = sseData(post(upstream, "/v1/chat/completions", CHAT_STREAM_USAGE).body());

    assertThat(events).hasSize(1 + 4 + 1 + 1 + 1).last().isEqualTo("[DONE]");
    JsonNode usageChunk = json(events.get(events.size() - 2));
    assertThat(usageChunk.get("choices").isEmpty()).isTrue();
    assertThat(usageChunk.get("usage").get("prompt_tokens").asInt()).isEqualTo(7);
    assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(4);
    assertThat(usageChunk.get("usage").get("total_tokens").asInt()).isEqualTo(11);
    // As OpenAI does: the other chunks carry "usage": null.
    assertThat(events.subList(0, events.size() - 2))
        .allSatisfy(e -> assertThat(json(e).get("usage").isNull()).isTrue());
  }

  @Test
  void textCompletionPlainAndStreamed() {
    upstream.enqueue(Behavior.ok().withReply("Once upon"));
    JsonNode plain = json(post(upstream, "/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":"Tell a story"}""").body());
    assertThat(plain.get("object").asText()).isEqualTo("text_completion");
    assertThat(plain.get("id").asText()).startsWith("cmpl-");
    assertThat(plain.get("model").asText()).isEqualTo("gpt-3.5-turbo-instruct");
    assertThat(plain.get("choices").get(0).get("text").asText()).isEqualTo("Once upon");
    assertThat(plain.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(plain.get("usage").get("completion_tokens").asInt()).isEqualTo(2);

    upstream.enqueue(Behavior.ok().withReply("Once upon"));
    List<String> events = sseData(post(upstream, "/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":"Tell a story","stream":true,
         "stream_options":{"include_usage":true}}""").body());
    assertThat(events).hasSize(2 + 1 + 1 + 1).last().isEqualTo("[DONE]");
    assertThat(events.subList(0, 2)).extracting(e -> json(e).get("choices").get(0).get("text")
        .asText()).containsExactly("Once", " upon");
    assertThat(json(events.get(2)).get("choices").get(0).get("finish_reason").asText())
        .isEqualTo("stop");
    assertThat(json(events.get(3)).get("usage").get("completion_tokens").asInt()).isEqualTo(2);
    assertThat(json(events.get(0)).get("object").asText()).isEqualTo("text_completion");
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() {
    String request = """
        {"model":"text-embedding-3-small","input":["alpha","beta","alpha"],"dimensions":16}""";
    JsonNode body = json(post(upstream, "/v1/embeddings", request).body());

    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
    JsonNode data = body.get("data");
    assertThat(data).hasSize(3);
    assertThat(data.get(1).get("object").asText()).isEqualTo("embedding");
    assertThat(data.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(data.get(0).get("embedding")).hasSize(16);
    assertThat(data.get(0).get("embedding")).isEqualTo(data.get(2).get("embedding"));
    assertThat(data.get(0).get("embedding")).isNotEqualTo(data.get(1).get("embedding"));
    double norm = 0;
    for (JsonNode v : data.get(0).get("embedding")) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(body.get("usage").get("prompt_tokens").asInt()).isPositive();
    assertThat(body.get("usage").get("total_tokens").asInt())
        .isEqualTo(body.get("usage").get("prompt_tokens").asInt());
  }

  @Test
  void embeddingsInBase64AreLittleEndianFloats() {
    JsonNode plain = json(post(upstream, "/v1/embeddings", """
        {"model":"text-embedding-3-small","input":"alpha"}""").body());
    JsonNode encoded = json(post(upstream, "/v1/embeddings", """
        {"model":"text-embedding-3-small","input":"alpha","encoding_format":"base64"}""").body());

    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder()
        .decode(encoded.get("data").get(0).get("embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    JsonNode floats = plain.get("data").get(0).get("embedding");
    assertThat(bytes.remaining()).isEqualTo(floats.size() * 4);
    for (JsonNode f : floats) {
      assertThat(bytes.getFloat()).isEqualTo(f.floatValue());
    }
  }

  @Test
  void modelsListsAFewModels() {
    JsonNode body = json(Http.get(upstream, "/v1/models").body());

    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("data").size()).isGreaterThanOrEqualTo(3);
    assertThat(body.get("data").get(0).get("object").asText()).isEqualTo("model");
  }

  @Test
  void otherPathsEchoMethodAndPath() {
    HttpResponse<String> response = Http.get(upstream, "/v1/files?limit=2");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).get("method").asText()).isEqualTo("GET");
    assertThat(json(response.body()).get("path").asText()).isEqualTo("/v1/files?limit=2");
  }

  @Test
  void malformedJsonIsAnOpenAiError() {
    HttpResponse<String> response = post(upstream, "/v1/chat/completions", "{\"model\": ");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).contains("could not parse the JSON body");
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
  }

  @Test
  void trailingGarbageIsMalformedToo() {
    assertThat(post(upstream, "/v1/chat/completions", CHAT + " }").statusCode()).isEqualTo(400);
  }

  @Test
  void chatNeedsModelAndMessages() {
    HttpResponse<String> noModel = post(upstream, "/v1/chat/completions", """
        {"messages":[{"role":"user","content":"x"}]}""");
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(json(noModel.body()).get("error").get("message").asText())
        .isEqualTo("you must provide a model parameter");

    HttpResponse<String> noMessages =
        post(upstream, "/v1/chat/completions", "{\"model\":\"gpt-4o\"}");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    JsonNode error = json(noMessages.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("messages");
    assertThat(error.get("code").asText()).isEqualTo("missing_required_parameter");

    assertThat(post(upstream, "/v1/embeddings", "{\"model\":\"e\"}").statusCode()).isEqualTo(400);
    assertThat(post(upstream, "/v1/completions", "{\"model\":\"m\"}").statusCode()).isEqualTo(400);
  }
}
