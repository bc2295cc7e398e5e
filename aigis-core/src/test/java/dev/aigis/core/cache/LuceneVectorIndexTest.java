package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LuceneVectorIndexTest {

  private static float[] unit(float... v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  @Test
  void findsTheNearestWithinItsPartitionOnlyAndReportsCosine() {
    try (VectorIndex index = VectorIndex.inMemory()) {
      index.add("a", "p1", unit(1, 0, 0));
      index.add("b", "p1", unit(0, 1, 0));
      index.add("c", "p2", unit(1, 0.01f, 0));

      var hits = index.search("p1", unit(1, 0.1f, 0), 2);
      assertThat(hits).extracting(VectorIndex.Neighbour::id).containsExactly("a", "b");
      assertThat(hits.getFirst().similarity()).isCloseTo(0.995, org.assertj.core.data.Offset.offset(0.001));
      assertThat(index.search("p3", unit(1, 0, 0), 1)).isEmpty();
      assertThat(index.size()).isEqualTo(3);
    }
  }

  @Test
  void aWriteIsVisibleToTheNextSearchAndRemovalsAndReplacementsTooAndSizeFollows() {
    try (VectorIndex index = VectorIndex.inMemory()) {
      assertThat(index.search("p", unit(1, 0), 1)).isEmpty();
      index.add("a", "p", unit(1, 0));
      assertThat(index.search("p", unit(1, 0), 1)).extracting(VectorIndex.Neighbour::id).containsExactly("a");
      index.add("a", "p", unit(0, 1));
      assertThat(index.search("p", unit(0, 1), 1).getFirst().similarity()).isGreaterThan(0.999);
      assertThat(index.size()).isEqualTo(1);
      index.remove("a");
      index.remove("a");
      assertThat(index.search("p", unit(1, 0), 1)).isEmpty();
      assertThat(index.size()).isZero();
    }
  }

  @Test
  void aLargePartitionStillFindsAnExactDuplicate() {
    Random random = new Random(7);
    try (VectorIndex index = VectorIndex.inMemory()) {
      float[] target = null;
      for (int i = 0; i < 5_000; i++) {
        float[] v = new float[32];
        for (int d = 0; d < v.length; d++) {
          v[d] = (float) random.nextGaussian();
        }
        v = unit(v);
        if (i == 2_345) {
          target = v;
        }
        index.add("e" + i, "one", v);
      }
      var hit = index.search("one", target, 1).getFirst();
      assertThat(hit.id()).isEqualTo("e2345");
      assertThat(hit.similarity()).isGreaterThan(0.9999);
    }
  }
}
