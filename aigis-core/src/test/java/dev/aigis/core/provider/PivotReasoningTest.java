package dev.aigis.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pivot contract's effort and budget mapping, read one way by every translator. */
class PivotReasoningTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      {}                                                          | null | null | false
      {"reasoning_effort":"minimal"}                              | 1024 | minimal | false
      {"reasoning_effort":"low"}                                  | 1024 | low | false
      {"reasoning_effort":"medium"}                               | 2048 | medium | false
      {"reasoning_effort":"high"}                                 | 4096 | high | false
      {"reasoning_effort":"none"}                                 | null | none | false
      {"thinking":{"type":"enabled","budget_tokens":1500}}        | 1500 | low | false
      {"thinking":{"type":"enabled","budget_tokens":2048}}        | 2048 | medium | false
      {"thinking":{"type":"enabled","budget_tokens":10000}}       | 10000 | high | false
      {"thinking":{"type":"disabled"},"reasoning_effort":"high"}  | null | high | true
      {"thinking":{"type":"enabled","budget_tokens":5000},"reasoning_effort":"low"} | 5000 | low | false
      """)
  void budgetsAndEfforts(String pivot, Integer budget, String effort, boolean disabled) throws Exception {
    JsonNode request = Json.MAPPER.readTree(pivot);

    assertThat(PivotReasoning.budget(request)).isEqualTo(budget);
    assertThat(PivotReasoning.effort(request)).isEqualTo(effort);
    assertThat(PivotReasoning.disabled(request)).isEqualTo(disabled);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"thinking_blocks":[{"type":"thinking","thinking":"a","signature":"s"},{"type":"redacted_thinking","data":"d"}]} | [{"type":"thinking","thinking":"a","signature":"s"},{"type":"redacted_thinking","data":"d"}]
      {"thinking_blocks":[{"type":"thinking","thinking":"unsigned"},{"type":"thinking","thinking":"b","signature":""}]} | []
      {"reasoning_content":"no blocks"}                                                                                 | []
      """)
  void onlySignedBlocksCanBeSentBack(String message, String blocks) throws Exception {
    assertThat(Json.MAPPER.valueToTree(PivotReasoning.anthropicBlocks(Json.MAPPER.readTree(message))).toString())
        .isEqualTo(Json.MAPPER.readTree(blocks).toString());
  }
}
