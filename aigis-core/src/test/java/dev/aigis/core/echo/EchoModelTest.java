package dev.aigis.core.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoModelTest {

  private final EchoModel echo = new EchoModel(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));

  @Test
  void chatAnswersWithTheLastUserMessageAndCountsTokens() throws Exception {
    JsonNode request = Json.MAPPER.readTree("""
        {"model":"aigis-echo","messages":[{"role":"system","content":"be brief"},
         {"role":"user","content":[{"type":"text","text":"hello "},{"type":"text","text":"world"}]}]}""");
    var answer = (EchoModel.Answer.Body) echo.chatCompletion(request, false, false);
    JsonNode body = Json.MAPPER.readTree(answer.json());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isEqualTo(1767225600L);
    assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("hello world");
    // o200k_base: "be brief" = 2 tokens, "hello world" = 2; 3 per message and 3 for the reply.
    assertThat(answer.usage()).isEqualTo(TokenUsage.of(3 + 3 + 2 + 3 + 2, 2));
  }

  @Test
  void streamSendsRoleThenTokensThenStopThenUsageWhenAskedThenDone() throws Exception {
    JsonNode request = Json.MAPPER.readTree("{\"model\":\"aigis-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}");
    var answer = (EchoModel.Answer.Stream) echo.chatCompletion(request, true, true);
    List<String> events = answer.events().stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
    assertThat(events).hasSize(6);
    assertThat(events.get(0)).contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}");
    assertThat(events.get(1)).contains("\"delta\":{\"content\":\"one\"}");
    assertThat(events.get(2)).contains("\"delta\":{\"content\":\" two\"}");
    assertThat(events.get(3)).contains("\"finish_reason\":\"stop\"");
    assertThat(events.get(4)).contains("\"choices\":[]").contains("\"completion_tokens\":2");
    assertThat(events.get(5)).isEqualTo("data: [DONE]\n\n");

    var withoutUsage = (EchoModel.Answer.Stream) echo.chatCompletion(request, true, false);
    assertThat(withoutUsage.events()).hasSize(5);
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() throws Exception {
    JsonNode request = Json.MAPPER.readTree("{\"model\":\"aigis-echo\",\"input\":[\"a\",\"a\",\"b\"]}");
    JsonNode body = Json.MAPPER.readTree(((EchoModel.Answer.Body) echo.embeddings(request)).json());
    JsonNode data = body.path("data");
    assertThat(data).hasSize(3);
    assertThat(data.get(0).path("embedding")).isEqualTo(data.get(1).path("embedding"));
    assertThat(data.get(0).path("embedding")).isNotEqualTo(data.get(2).path("embedding"));
    double norm = 0;
    for (JsonNode v : data.get(0).path("embedding")) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }
}
