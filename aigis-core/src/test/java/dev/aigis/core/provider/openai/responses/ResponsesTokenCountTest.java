package dev.aigis.core.provider.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenCounter;
import org.junit.jupiter.api.Test;

/** {@code /v1/responses/input_tokens} counted by the gateway: what is counted, and the answer's shape. */
class ResponsesTokenCountTest {

  @Test
  void countsInstructionsInputItemsAndTools() throws Exception {
    var request = Json.MAPPER.readTree("""
        {"model": "m", "instructions": "Be brief.",
         "input": [
           {"role": "user", "content": [{"type": "input_text", "text": "Weather in Paris?"},
                                        {"type": "input_image", "image_url": "https://x/y.png"}]},
           {"type": "reasoning", "summary": [{"type": "summary_text", "text": "Need a tool."}]},
           {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
           {"type": "function_call_output", "call_id": "c1", "output": "18C"}
         ],
         "tools": [{"type": "function", "name": "get_weather", "description": "Weather",
                    "parameters": {"type": "object"}}]}
        """);
    long expected = TokenCounter.count("Be brief.") + TokenCounter.count("Weather in Paris?")
        + TokenCounter.count("Need a tool.") + TokenCounter.count("get_weather") + TokenCounter.count("{\"city\":\"Paris\"}")
        + TokenCounter.count("18C") + TokenCounter.count("get_weather") + TokenCounter.count("Weather")
        + TokenCounter.count("{\"type\":\"object\"}");

    assertThat(ResponsesTokenCount.count(request)).isEqualTo(Json.MAPPER.createObjectNode()
        .put("object", "response.input_tokens").put("input_tokens", expected));
  }

  @Test
  void aStringInputIsOneText() throws Exception {
    assertThat(ResponsesTokenCount.count(Json.MAPPER.readTree("{\"input\":\"hello there\"}")).path("input_tokens").asLong())
        .isEqualTo(TokenCounter.count("hello there"));
  }

  @Test
  void inputOfAnotherShapeIsA400NamingIt() {
    assertThatThrownBy(() -> ResponsesTokenCount.count(Json.MAPPER.readTree("{\"input\":42}")))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.InvalidRequest("'input' must be a string or an array of items", "input")));
  }
}
