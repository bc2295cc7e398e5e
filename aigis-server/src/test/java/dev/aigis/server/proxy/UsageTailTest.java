package dev.aigis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.usage.TokenUsage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class UsageTailTest {

  private static final String USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}";

  @Test
  void findsUsageAtTheEndOfABodyMuchLargerThanTheRingInAnyChunking() {
    String body = "{\"choices\":[{\"message\":{\"content\":\"" + "x".repeat(100_000) + "\"}}]," + USAGE;
    for (int chunkSize : new int[] {1, 7, 100, 2047, 2048, 2049, 65_536, body.length()}) {
      var tail = new UsageTail();
      for (int at = 0; at < body.length(); at += chunkSize) {
        tail.append(Buffer.buffer(body.substring(at, Math.min(body.length(), at + chunkSize))));
      }
      assertThat(tail.usage()).as("chunks of %d", chunkSize).isEqualTo(new TokenUsage(12, 34, 46, 0, 0));
    }
  }

  @Test
  void noUsageGivesNull() {
    var tail = new UsageTail();
    tail.append(Buffer.buffer("{\"data\":[]}"));
    assertThat(tail.usage()).isNull();
  }
}
