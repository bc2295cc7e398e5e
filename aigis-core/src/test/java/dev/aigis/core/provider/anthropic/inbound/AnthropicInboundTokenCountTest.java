package dev.aigis.core.provider.anthropic.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenCounter;
import org.junit.jupiter.api.Test;

class AnthropicInboundTokenCountTest {

  @Test
  void countsSystemMessagesToolUseResultsAndToolDefinitions() throws Exception {
    var request = Json.MAPPER.readTree("""
        {"model":"m","system":[{"type":"text","text":"Be brief."}],
         "messages":[
           {"role":"user","content":"Weather in Paris?"},
           {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"get_weather","input":{"city":"Paris"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"18C"}]},
                                     {"type":"image","source":{"type":"url","url":"https://example.com/x.png"}}]}],
         "tools":[{"name":"get_weather","description":"Weather now","input_schema":{"type":"object"}}]}""");
    long expected = TokenCounter.count("Be brief.") + TokenCounter.count("Weather in Paris?")
        + TokenCounter.count("get_weather") + TokenCounter.count("{\"city\":\"Paris\"}")
        + TokenCounter.count("18C")
        + TokenCounter.count("get_weather") + TokenCounter.count("Weather now") + TokenCounter.count("{\"type\":\"object\"}");
    var answer = AnthropicTokenCount.count(request);
    assertThat(answer.properties()).hasSize(1);
    assertThat(answer.get("input_tokens").asLong()).isEqualTo(expected);
    assertThat(expected).isGreaterThan(20);
  }

  @Test
  void missingMessagesIsAnInvalidRequest() {
    assertThatThrownBy(() -> AnthropicTokenCount.count(Json.MAPPER.readTree("{\"model\":\"m\"}")))
        .isInstanceOf(TranslationException.class)
        .hasMessage("messages: Field required");
  }
}
