package dev.aigis.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageTailTest {

  private static final String USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}";

  @Test
  void findsUsageAtTheEndOfABodyMuchLargerThanTheRingInAnyChunking() {
    String body = "{\"choices\":[{\"message\":{\"content\":\"" + "x".repeat(100_000) + "\"}}]," + USAGE;
    for (int chunkSize : new int[] {1, 7, 100, 2047, 2048, 2049, 65_536, body.length()}) {
      var tail = new UsageTail(OpenAiUsage::from);
      for (int at = 0; at < body.length(); at += chunkSize) {
        tail.append(body.substring(at, Math.min(body.length(), at + chunkSize)).getBytes(StandardCharsets.UTF_8));
      }
      assertThat(tail.usage()).as("chunks of %d", chunkSize).isEqualTo(new TokenUsage(12, 34, 46, 0, 0));
    }
  }

  /**
   * Found by UpstreamAnswerFuzzTest (answer corpus, usage-key-without-colon.json): a body ending in
   * {@code "usage"} and no colon threw an IllegalArgumentException out of usage(). An earlier
   * usage object is still read; without one there is none.
   */
  @Test
  void aUsageKeyWithNoColonAfterItIsSkipped() {
    assertThat(tailOf("{\"stop_reason\":null,\"usage\"\u00f2\u00f2^^").usage()).isNull();
    assertThat(tailOf("{" + USAGE.substring(0, USAGE.length() - 1) + ",\"x\":\"usage\"").usage())
        .isEqualTo(new TokenUsage(12, 34, 46, 0, 0));
  }

  @Test
  void readsAnthropicUsageWithItsOwnReader() {
    var tail = new UsageTail(AnthropicUsage::from);
    tail.append(("{\"content\":[],\"usage\":{\"input_tokens\":21,\"cache_read_input_tokens\":4,\"output_tokens\":8}}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(tail.usage()).isEqualTo(new TokenUsage(25, 8, 33, 4, 0));
  }

  @Test
  void usageIsTheLastUnescapedUsageKeyAndACutKeyReadsNothing() {
    String body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"a \\\"usage\\\": {} trap\"}}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6,\"total_tokens\":11},\"system_fingerprint\":\"fp\"}";
    assertThat(tailOf(body).usage()).isEqualTo(new TokenUsage(5, 6, 11, 0, 0));
    // Cut so that only the part after the usage key remains: nothing to read.
    assertThat(tailOf(body.substring(body.indexOf("\"prompt_tokens\""))).usage()).isNull();
    // The only "usage" is an escaped one inside a string: no usage.
    assertThat(tailOf("{\"content\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":1}\"}").usage()).isNull();
  }

  private static UsageTail tailOf(String body) {
    var tail = new UsageTail(OpenAiUsage::from);
    tail.append(body.getBytes(StandardCharsets.UTF_8));
    return tail;
  }

  @Test
  void noUsageGivesNull() {
    var tail = new UsageTail(OpenAiUsage::from);
    tail.append("{\"data\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThat(tail.usage()).isNull();
  }
}
