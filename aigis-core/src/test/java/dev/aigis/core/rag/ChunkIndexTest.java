package dev.aigis.core.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkIndexTest {

  private static Chunk chunk(int n) {
    return new Chunk("d.md", "", n, "text " + n);
  }

  private static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
  }

  private final ChunkIndex index = ChunkIndex.of(
      List.of(chunk(1), chunk(2), chunk(3), chunk(4)),
      List.of(unit(0.0), unit(1.0), unit(0.2), unit(2.5)));

  @Test
  void returnsTheTopKByCosineBestFirst() {
    List<Retrieved> hits = index.search(unit(0.05), 2, -1);

    assertThat(hits).extracting(Retrieved::marker).containsExactly("d.md#1", "d.md#3");
    assertThat(hits.get(0).score()).isCloseTo(Math.cos(0.05), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void leavesOutChunksBelowTheMinimumScore() {
    assertThat(index.search(unit(0.05), 4, 0.5)).extracting(Retrieved::marker)
        .containsExactly("d.md#1", "d.md#3", "d.md#2");
    assertThat(index.search(unit(-1.5), 3, 0.9)).isEmpty();
  }

  @Test
  void asksForMoreThanThereAreAndGetsAllInOrder() {
    assertThat(index.search(unit(2.4), 10, -1)).extracting(Retrieved::marker)
        .containsExactly("d.md#4", "d.md#2", "d.md#3", "d.md#1");
  }

  @Test
  void anEmptyIndexFindsNothing() {
    assertThat(ChunkIndex.of(List.of(), List.of()).search(unit(0), 3, 0)).isEmpty();
  }
}
