package dev.aigis.testkit;

import static dev.aigis.testkit.Http.json;
import static dev.aigis.testkit.Http.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake's Azure wire shape and its refusals of requests Azure would refuse, bodies exact. */
class FakeAzureOpenAiUpstreamTest {

  static final String KEY = "azure-key-1";
  static final String CHAT = "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21";
  static final String BODY = """
      {"messages":[{"role":"user","content":"Say hello"}]}""";
  static final String STREAM_USAGE = """
      {"messages":[{"role":"user","content":"Say hello"}],"stream":true,"stream_options":{"include_usage":true}}""";

  static FakeAzureOpenAiUpstream upstream;

  @BeforeAll
  static void start() {
    upstream = FakeAzureOpenAiUpstream.start(KEY, Map.of("gpt4o-prod", "gpt-4o-2024-08-06", "gpt 4o/eu", "gpt-4o-mini"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.reset();
  }

  static HttpResponse<String> post(String path, String body, String... headers) {
    var request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return Http.send(request.build());
  }

  @Test
  void missingApiKeyIs401() {
    var response = post(CHAT, BODY);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("""
        {"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. \
        Make sure to provide a valid key for an active subscription and use a correct regional API endpoint \
        for your resource."}}""");
  }

  @Test
  void wrongApiKeyIs401() {
    var response = post(CHAT, BODY, "api-key", "other");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo(FakeAzureOpenAiUpstream.ACCESS_DENIED);
  }

  @Test
  void authorizationHeaderIs401NamingIt() {
    var response = post(CHAT, BODY, "authorization", "Bearer " + KEY);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("""
        {"error":{"code":"401","message":"Access denied: the request carried an Authorization header; \
        this resource takes its key in the api-key header."}}""");
    assertThat(post(CHAT, BODY, "authorization", "Bearer x", "api-key", KEY).statusCode()).isEqualTo(401);
  }

  @Test
  void missingApiVersionIsResourceNotFound() {
    var response = post("/openai/deployments/gpt4o-prod/chat/completions", BODY, "api-key", KEY);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("""
        {"error":{"code":"404","message":"Resource not found"}}""");
  }

  @Test
  void openAiPathIsResourceNotFound() {
    var response = post("/v1/chat/completions", BODY, "api-key", KEY);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo(FakeAzureOpenAiUpstream.RESOURCE_NOT_FOUND);
  }

  @Test
  void unknownDeploymentIsDeploymentNotFound() {
    var response = post("/openai/deployments/gpt-5/chat/completions?api-version=2024-10-21", BODY, "api-key", KEY);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("""
        {"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. \
        If you created the deployment within the last 5 minutes, please wait a moment and try again."}}""");
  }

  @Test
  void bodyWithoutMessagesIs400() {
    var response = post(CHAT, "{}", "api-key", KEY);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("""
        {"error":{"message":"'messages' is a required property","type":"invalid_request_error","param":null,"code":null}}""");
  }

  @Test
  void completionReportsTheDeploymentsModelAndFilterResults() {
    upstream.enqueue(AzureReply.text("Hi there").withUsage(9, 2));
    var response = post(CHAT, "{\"model\":\"ignored\"," + BODY.substring(1), "api-key", KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hi there");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/choices/0/content_filter_results/violence/filtered").asBoolean()).isFalse();
    assertThat(body.at("/prompt_filter_results/0/prompt_index").asInt()).isZero();
    assertThat(body.path("usage").toString())
        .isEqualTo("{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}");
    RecordedRequest recorded = upstream.lastRequest();
    assertThat(recorded.path()).isEqualTo(CHAT);
    assertThat(recorded.header("api-key")).isEqualTo(KEY);
  }

  @Test
  void encodedDeploymentNamesResolve() {
    var response = post("/openai/deployments/gpt%204o%2Feu/chat/completions?api-version=2024-10-21", BODY, "api-key", KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).path("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void streamLeadsWithPromptFilterResultsAndEndsWithUsageWhenAsked() {
    upstream.enqueue(AzureReply.text("Hello there friend").withUsage(5, 3));
    var response = post(CHAT, STREAM_USAGE, "api-key", KEY);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> data = sseData(response.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    JsonNode lead = json(data.getFirst());
    assertThat(lead.path("choices").isEmpty()).isTrue();
    assertThat(lead.path("id").asText()).isEmpty();
    assertThat(lead.at("/prompt_filter_results/0/content_filter_results/jailbreak/detected").isBoolean()).isTrue();
    assertThat(json(data.get(1)).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(data.subList(2, 5).stream().map(d -> json(d).at("/choices/0/delta/content").asText()))
        .containsExactly("Hello", " there", " friend");
    assertThat(json(data.get(5)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = json(data.get(6));
    assertThat(usage.path("choices").isEmpty()).isTrue();
    assertThat(usage.path("usage").toString())
        .isEqualTo("{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}");
    assertThat(data).hasSize(8);
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() {
    var response = post(CHAT, "{\"stream\":true," + BODY.substring(1), "api-key", KEY);
    List<String> data = sseData(response.body());
    assertThat(data.subList(0, data.size() - 1)).noneMatch(d -> json(d).has("usage"));
  }

  @Test
  void toolCallsStreamAsStartThenArguments() {
    upstream.enqueue(AzureReply.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
    List<String> data = sseData(post(CHAT, STREAM_USAGE, "api-key", KEY).body());
    JsonNode start = json(data.get(2)).at("/choices/0/delta/tool_calls/0");
    assertThat(start.path("id").asText()).isEqualTo("call_1");
    assertThat(start.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(json(data.get(3)).at("/choices/0/delta/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(json(data.get(4)).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void contentFilteredAnswerFinishesWithContentFilter() {
    upstream.enqueue(AzureReply.contentFiltered("I will"));
    JsonNode body = json(post(CHAT, BODY, "api-key", KEY).body());
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
    assertThat(body.at("/choices/0/content_filter_results/violence").toString())
        .isEqualTo("{\"filtered\":true,\"severity\":\"high\"}");
  }

  @Test
  void scriptedErrorsAreSentAsIs() {
    upstream.enqueue(AzureReply.error(429, "429", "Requests to the ChatCompletions_Create Operation have exceeded the rate limit."));
    upstream.enqueue(AzureReply.promptFiltered());
    var limited = post(CHAT, BODY, "api-key", KEY);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).isEqualTo("""
        {"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded the rate limit."}}""");
    var filtered = post(CHAT, BODY, "api-key", KEY);
    assertThat(filtered.statusCode()).isEqualTo(400);
    assertThat(json(filtered.body()).at("/error/code").asText()).isEqualTo("content_filter");
    assertThat(json(filtered.body()).at("/error/message").asText()).isEqualTo(AzureReply.CONTENT_FILTER_MESSAGE);
    assertThat(upstream.requests()).hasSize(2);
  }
}
