package dev.aigis.core.guard.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FoldsTest {

  @Test
  void groupedFoldsKeepEachSourceWholeAndBalanceSizes() {
    List<String> groups = List.of("a", "a", "a", "a", "b", "b", "b", "c", "c", "d");
    int[] fold = Folds.grouped(groups, 2);
    // Largest first into the smallest fold: a (4) -> 0, b (3) -> 1, c (2) -> 1 (3 < 4), d (1) -> 0 (4 < 5).
    assertThat(fold).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 1, 0);
    assertThatThrownBy(() -> Folds.grouped(List.of("a", "a"), 2)).hasMessageContaining("at least 2 sources");
  }

  @Test
  void stratifiedFoldsDealEachLabelEvenlyAndRepeatForASeed() {
    int[] labels = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    int[] fold = Folds.stratified(labels, 2, 7);
    int positivesInFold0 = 0;
    int negativesInFold0 = 0;
    for (int i = 0; i < labels.length; i++) {
      if (fold[i] == 0) {
        positivesInFold0 += labels[i];
        negativesInFold0 += 1 - labels[i];
      }
    }
    assertThat(positivesInFold0).isEqualTo(2);
    assertThat(negativesInFold0).isEqualTo(3);
    assertThat(Folds.stratified(labels, 2, 7)).containsExactly(fold);
  }
}
