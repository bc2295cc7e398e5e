package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

  private static ObjectNode pivot(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  @Test
  void streamUserAndKeyOrderDoNotChangeTheKeysButSamplingDoes() throws Exception {
    var plain = CacheKeys.of(pivot("""
        {"model":"m","temperature":0,"messages":[{"role":"user","content":"Hi there"}]}"""));
    var streamed = CacheKeys.of(pivot("""
        {"messages":[{"content":"Hi there","role":"user"}],"stream":true,"stream_options":{"include_usage":true},
         "user":"alice","temperature":0,"model":"m"}"""));
    var hotter = CacheKeys.of(pivot("""
        {"model":"m","temperature":0.5,"messages":[{"role":"user","content":"Hi there"}]}"""));

    assertThat(streamed).isEqualTo(plain);
    assertThat(plain.question()).isEqualTo("Hi there");
    assertThat(hotter.exactKey()).isNotEqualTo(plain.exactKey());
    assertThat(hotter.partition()).isNotEqualTo(plain.partition());
  }

  @Test
  void theLastUserMessageIsOutsideThePartitionAndEverythingElseIsInIt() throws Exception {
    var a = CacheKeys.of(pivot("""
        {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]}"""));
    var b = CacheKeys.of(pivot("""
        {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"How much is 2+2?"}]}"""));
    var otherSystem = CacheKeys.of(pivot("""
        {"model":"m","messages":[{"role":"system","content":"Be verbose."},{"role":"user","content":"What is 2+2?"}]}"""));
    var otherModel = CacheKeys.of(pivot("""
        {"model":"n","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]}"""));
    var withTools = CacheKeys.of(pivot("""
        {"model":"m","tools":[{"type":"function","function":{"name":"calc"}}],
         "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}]}"""));

    assertThat(a.partition()).isEqualTo(b.partition());
    assertThat(a.exactKey()).isNotEqualTo(b.exactKey());
    assertThat(otherSystem.partition()).isNotEqualTo(a.partition());
    assertThat(otherModel.partition()).isNotEqualTo(a.partition());
    assertThat(withTools.partition()).isNotEqualTo(a.partition());
  }

  @Test
  void textPartsAreAQuestionButImagesOrAToolTurnLastAreNot() throws Exception {
    assertThat(CacheKeys.of(pivot("""
        {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}"""))
        .question()).isEqualTo("a\nb");
    assertThat(CacheKeys.of(pivot("""
        {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is this"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}""")).question()).isNull();
    assertThat(CacheKeys.of(pivot("""
        {"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}]}""")).question())
        .isNull();
  }
}
