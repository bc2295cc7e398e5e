package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.usage.TokenUsage;
import org.junit.jupiter.api.Test;

/** What the cache keeps of an answer, read from its pivot events or its whole pivot. */
class AnswerCollectorTest {

  private static ObjectNode delta(String content, String finish) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree("{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
        + Json.MAPPER.writeValueAsString(content) + "}" + (finish == null ? "" : ",\"finish_reason\":\"" + finish + "\"")
        + "}]}");
  }

  @Test
  void streamedDeltasBecomeOneCompletionWithTheUsageGiven() throws Exception {
    var collector = new AnswerCollector();
    collector.accept(delta("Paris is ", null), false);
    collector.accept(delta("the capital.", "stop"), false);

    assertThat(collector.cacheable()).isTrue();
    ObjectNode completion = collector.completion("asked", TokenUsage.of(3, 4), 10, "x");
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Paris is the capital.");
    assertThat(completion.path("model").asText()).isEqualTo("m");
    assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(7);
  }

  @Test
  void aTruncatedAnswerAnAnswerOverTheSizeBoundAndAnUnreadableEventAreNotCacheable() throws Exception {
    var truncated = new AnswerCollector();
    truncated.accept(delta("Paris", "length"), false);
    assertThat(truncated.cacheable()).isFalse();

    var huge = new AnswerCollector();
    String piece = "x".repeat(64 * 1024);
    for (int i = 0; i < 4; i++) {
      huge.accept(delta(piece, null), false);
    }
    assertThat(huge.cacheable()).as("no finish reason yet").isFalse();
    huge.accept(delta("y", "stop"), false);
    assertThat(huge.cacheable()).as("one character over the bound").isFalse();

    var atBound = new AnswerCollector();
    for (int i = 0; i < 4; i++) {
      atBound.accept(delta(piece, null), false);
    }
    atBound.accept(delta("", "stop"), false);
    assertThat(atBound.cacheable()).isTrue();

    var unreadable = new AnswerCollector();
    unreadable.accept(null, false);
    unreadable.accept(delta("late", "stop"), false);
    assertThat(unreadable.cacheable()).isFalse();
  }
}
