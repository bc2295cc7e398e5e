package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.json.Json;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonSpliceTest {

  @Test
  void quotesWithJsonsShortEscapesAndUtf8() {
    assertThat(string(JsonSplice.quoted("a\"b\\c\n\r\t\b\f\u0000\u001f\u007f é ✓ 👋 /")))
        .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001F\u007f é ✓ 👋 /\"");
    assertThat(string(JsonSplice.quoted(""))).isEqualTo("\"\"");
  }

  @Test
  void unpairedSurrogatesBecomeEscapesThatReadBackAsTheSameChars() throws Exception {
    String high = "x\uD83D";
    String low = "\uDC4By";

    assertThat(string(JsonSplice.quoted(high))).isEqualTo("\"x\\uD83D\"");
    assertThat(Json.MAPPER.readTree(JsonSplice.quoted(high)).textValue()).isEqualTo(high);
    assertThat(Json.MAPPER.readTree(JsonSplice.quoted(low)).textValue()).isEqualTo(low);
  }

  @Test
  void anyStringReadsBackAsItself() throws Exception {
    Random random = new Random(7);
    char[] alphabet = "ab \"\\\n\r\t\u0001\u001f\u00e9\u2713\uD83D\uDC4B\uDC00\uD800\u0800\u07ff\uffff".toCharArray();
    for (int run = 0; run < 2_000; run++) {
      var text = new StringBuilder();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      assertThat(Json.MAPPER.readTree(JsonSplice.quoted(text.toString())).textValue()).isEqualTo(text.toString());
    }
  }
}
