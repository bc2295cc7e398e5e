package dev.aigis.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void knownTokenizations() {
    assertThat(OpenAiEncoding.CL100K_BASE.count("hello world")).isEqualTo(2);
    assertThat(OpenAiEncoding.O200K_BASE.count("hello world")).isEqualTo(2);
    // OpenAI cookbook ("How to count tokens with tiktoken"): [83, 1609, 5963, 374, 2294, 0].
    assertThat(OpenAiEncoding.CL100K_BASE.count("tiktoken is great!")).isEqualTo(6);
    assertThat(OpenAiEncoding.O200K_BASE.count("")).isZero();
    assertThat(OpenAiEncoding.O200K_BASE.count(null)).isZero();
  }

  @Test
  void encodingsFollowTheModel() {
    assertThat(OpenAiEncoding.forModel("gpt-4o-2024-08-06")).contains(OpenAiEncoding.O200K_BASE);
    assertThat(OpenAiEncoding.forModel("openai/gpt-4.1-mini")).contains(OpenAiEncoding.O200K_BASE);
    assertThat(OpenAiEncoding.forModel("o3-mini")).contains(OpenAiEncoding.O200K_BASE);
    assertThat(OpenAiEncoding.forModel("gpt-5-nano")).contains(OpenAiEncoding.O200K_BASE);
    assertThat(OpenAiEncoding.forModel("gpt-4-0613")).contains(OpenAiEncoding.CL100K_BASE);
    assertThat(OpenAiEncoding.forModel("gpt-3.5-turbo")).contains(OpenAiEncoding.CL100K_BASE);
    assertThat(OpenAiEncoding.forModel("claude-sonnet-4-5")).isEmpty();
    assertThat(OpenAiEncoding.forModel(null)).isEmpty();
  }

  @Test
  void oneMessageIsItsTextPlusTheFraming() {
    // 3 per message + "user" (1) + "hello world" (2) + 3 for the reply primer.
    assertThat(TokenEstimator.estimate(json("""
        {"model": "gpt-4", "messages": [{"role": "user", "content": "hello world"}]}
        """)).inputTokens()).isEqualTo(9);
    assertThat(TokenEstimator.estimate(json("""
        {"model": "gpt-4", "messages": [{"role": "user", "content": "hello world", "name": "bob"}]}
        """)).inputTokens()).isEqualTo(9 + 1 + 1);
    assertThat(TokenEstimator.estimate(json("{\"model\": \"gpt-4o\", \"messages\": []}")).inputTokens()).isEqualTo(3);
  }

  /**
   * The OpenAI cookbook's example conversation, whose counts it checked against the API's
   * {@code prompt_tokens}: 129 for gpt-3.5-turbo and gpt-4, 124 for gpt-4o and gpt-4o-mini.
   */
  @Test
  void theCookbookConversationCountsWhatTheApiReports() {
    String messages = """
        [
          {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
          {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
          {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
          {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
          {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
          {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."}
        ]""";
    assertThat(TokenEstimator.estimate(json("{\"model\": \"gpt-4\", \"messages\": " + messages + "}")).inputTokens()).isEqualTo(129);
    assertThat(TokenEstimator.estimate(json("{\"model\": \"gpt-3.5-turbo\", \"messages\": " + messages + "}")).inputTokens())
        .isEqualTo(129);
    assertThat(TokenEstimator.estimate(json("{\"model\": \"gpt-4o\", \"messages\": " + messages + "}")).inputTokens()).isEqualTo(124);
    assertThat(TokenEstimator.estimate(json("{\"model\": \"gpt-4o-mini\", \"messages\": " + messages + "}")).inputTokens())
        .isEqualTo(124);
  }

  @Test
  void partsToolsAndToolCallsAreCounted() {
    ObjectNode request = json("""
        {"model": "gpt-4o",
         "messages": [
           {"role": "user", "content": [
             {"type": "text", "text": "hello world"},
             {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
             {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
             {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]},
           {"role": "assistant", "content": null,
            "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
           {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}],
         "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}
        """);
    OpenAiEncoding o200k = OpenAiEncoding.O200K_BASE;
    long expected = 3
        + 3 + o200k.count("user") + 2 + 765 + 85
        + 3 + o200k.count("assistant") + o200k.count("get_weather") + o200k.count("{\"city\":\"Paris\"}")
        + 3 + o200k.count("tool") + o200k.count("sunny")
        + o200k.count("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]");
    assertThat(TokenEstimator.estimate(request).inputTokens()).isEqualTo(expected);
  }

  @Test
  void otherModelsAreTheO200kCountWithTheMargin() {
    String messages = "[{\"role\": \"user\", \"content\": \"hello world\"}]";
    long openAi = TokenEstimator.estimate(json("{\"model\": \"gpt-4o\", \"messages\": " + messages + "}")).inputTokens();
    assertThat(openAi).isEqualTo(9);
    assertThat(TokenEstimator.estimate(json("{\"model\": \"claude-sonnet-4-5\", \"messages\": " + messages + "}")).inputTokens())
        .isEqualTo((long) Math.ceil(9 * 1.2));
    assertThat(TokenEstimator.estimate(json("{\"messages\": " + messages + "}")).inputTokens()).as("no model").isEqualTo(11);
  }

  @Test
  void maxOutputComesFromTheRequestsBound() {
    assertThat(TokenEstimator.estimate(json("{\"max_completion_tokens\": 100, \"max_tokens\": 50}")).maxOutputTokens()).isEqualTo(100);
    assertThat(TokenEstimator.estimate(json("{\"max_tokens\": 50}")).maxOutputTokens()).isEqualTo(50);
    assertThat(TokenEstimator.estimate(json("{\"max_tokens\": \"50\"}")).maxOutputTokens()).isZero();
    assertThat(TokenEstimator.estimate(json("{}"))).isEqualTo(new TokenEstimator.Estimate(3 * 12 / 10 + 1, 0));
  }

  @Test
  void malformedShapesCountNothingRatherThanFail() {
    assertThat(TokenEstimator.estimate(json("""
        {"model": "gpt-4o", "messages": [5, {"role": 7, "content": {"x": 1}, "tool_calls": "no"}], "tools": {}}
        """)).inputTokens()).isEqualTo(3 + 3);
  }

  @Test
  void longTextIsCountedExactlyAcrossPieces() {
    String words = "the quick brown fox jumps over the lazy dog ".repeat(2_000);
    long whole = OpenAiEncoding.O200K_BASE.encoding().countTokensOrdinary(words);
    assertThat(OpenAiEncoding.O200K_BASE.count(words)).isEqualTo(whole);
    String mixed = "Grüße, 世界! ".repeat(3_000) + "\n\n  indented\tline ".repeat(500);
    assertThat(OpenAiEncoding.CL100K_BASE.count(mixed)).isEqualTo(OpenAiEncoding.CL100K_BASE.encoding().countTokensOrdinary(mixed));
  }

  @Test
  void aTenMegabytePromptWithoutSpacesIsCountedInBoundedTimeAndMemory() {
    String prompt = "a".repeat(10 * 1024 * 1024);
    ObjectNode request = Json.MAPPER.createObjectNode().put("model", "gpt-4o");
    request.putArray("messages").addObject().put("role", "user").put("content", prompt);
    long started = System.nanoTime();
    long tokens = TokenEstimator.estimate(request).inputTokens();
    // About 2 s on an idle 2-core machine; the bound is generous for a busy CI.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    // Runs of 'a' tokenize in chunks of several characters; the count must be in that range.
    assertThat(tokens).isBetween(prompt.length() / 16L, prompt.length() / 2L);
  }
}
