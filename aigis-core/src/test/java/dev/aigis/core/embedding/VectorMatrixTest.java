package dev.aigis.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact top-k scan the router and knowledge bases search with. */
class VectorMatrixTest {

  private static final VectorMatrix MATRIX = VectorMatrix.of(List.of(
      new float[] {1, 0, 0, 0, 0}, new float[] {0, 1, 0, 0, 0}, new float[] {0.6f, 0.8f, 0, 0, 0},
      new float[] {0.6f, 0.8f, 0, 0, 0}, new float[] {0, 0, 0, 0, 1}));

  @Test
  void theBestRowsComeFirstWithTiesInRowOrderAndBelowTheFloorLeftOut() {
    VectorMatrix.Nearest nearest = MATRIX.nearest(new float[] {0.6f, 0.8f, 0, 0, 0}, 3, 0.5f);
    assertThat(nearest.count()).isEqualTo(3);
    assertThat(nearest.rows()).containsExactly(2, 3, 1);
    assertThat(nearest.scores()[0]).isEqualTo(1.0f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(nearest.scores()[2]).isEqualTo(0.8f, org.assertj.core.data.Offset.offset(1e-6f));

    VectorMatrix.Nearest floored = MATRIX.nearest(new float[] {0, 0, 0, 0, 1}, 3, 0.5f);
    assertThat(floored.count()).isEqualTo(1);
    assertThat(floored.rows()[0]).isEqualTo(4);
  }

  @Test
  void rowsAreCopiesAndDimensionsMustMatch() {
    float[] row = MATRIX.row(1);
    row[1] = 9;
    assertThat(MATRIX.row(1)).containsExactly(0, 1, 0, 0, 0);
    assertThatThrownBy(() -> MATRIX.nearest(new float[] {1, 0}, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VectorMatrix.of(List.of(new float[] {1}, new float[] {1, 0})))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
