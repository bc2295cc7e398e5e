package dev.aigis.core.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.TranslationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiInboundCodecTest {

  private final OpenAiInboundCodec codec = new OpenAiInboundCodec();

  @Test
  void requestPassesAsACopy() throws Exception {
    var request = (ObjectNode) Json.MAPPER.readTree("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    ObjectNode pivot = codec.toPivot(request);
    assertThat(pivot).isEqualTo(request).isNotSameAs(request);
    pivot.put("model", "other");
    assertThat(request.get("model").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void nonObjectRequestIsRejected() {
    assertThatThrownBy(() -> codec.toPivot(Json.MAPPER.readTree("[]")))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error().status()).isEqualTo(400));
  }

  @Test
  void answersAndChunksKeepTheirBytesAndTheStreamEndsWithDone() throws Exception {
    String completion = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}";
    assertThat(new String(codec.fromPivot((ObjectNode) Json.MAPPER.readTree(completion)), StandardCharsets.UTF_8))
        .isEqualTo(completion);
    List<String> events = new ArrayList<>();
    codec.pivotChunk((ObjectNode) Json.MAPPER.readTree("{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"a\\nb\"}}]}"),
        e -> events.add(new String(e, StandardCharsets.UTF_8)));
    codec.pivotEnd(e -> events.add(new String(e, StandardCharsets.UTF_8)));
    assertThat(events).containsExactly(
        "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"a\\nb\"}}]}\n\n", "data: [DONE]\n\n");
  }

  @Test
  void isTheOpenAiApiWithOpenAiErrors() {
    assertThat(codec.api()).isEqualTo(InboundApi.OpenAI);
    assertThat(codec.errors()).isSameAs(OpenAiErrorRenderer.INSTANCE);
  }
}
