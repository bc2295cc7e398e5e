package dev.aigis.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

  private final MiniLmEmbedder embedder = MiniLmEmbedder.shared();

  @Test
  void vectorsAreUnitLengthAndParaphrasesAreCloserThanUnrelatedText() {
    float[] a = embedder.embed("How do I reset my password?");
    float[] b = embedder.embed("I forgot my password, how can I change it?");
    float[] c = embedder.embed("The recipe needs two cups of flour and an egg.");
    assertThat(a).hasSize(384);
    assertThat(Embedder.cosine(a, a)).isCloseTo(1.0, within(1e-4));
    assertThat(Embedder.cosine(a, b)).isGreaterThan(0.6);
    assertThat(Embedder.cosine(a, c)).isLessThan(0.2);
  }

  @Test
  void aBatchGivesExactlyTheVectorsOfOneByOne() {
    List<String> texts = List.of("short", "a considerably longer sentence about routing model traffic");
    List<float[]> batch = embedder.embedAll(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.get(i)).containsExactly(embedder.embed(texts.get(i)));
    }
  }

  @Test
  void longTextIsCutAtMaxTokens() {
    assertThat(embedder.tokens("word ".repeat(1000))).isEqualTo(embedder.maxTokens());
    assertThat(embedder.tokens("two words")).isEqualTo(4);
  }
}
