package dev.aigis.core.guard.injection;

import dev.aigis.core.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;

/** A deterministic stand-in for MiniLM in unit tests: letter frequencies folded into 8 dimensions, unit length. */
final class FakeEmbedder implements Embedder {

  final List<String> seen = new ArrayList<>();

  @Override
  public int dimension() {
    return 8;
  }

  @Override
  public int maxTokens() {
    return 128;
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<float[]> out = new ArrayList<>();
    for (String text : texts) {
      seen.add(text);
      float[] v = new float[8];
      for (char c : text.toCharArray()) {
        if (Character.isLetter(c)) {
          v[c % 8]++;
        }
      }
      double norm = 0;
      for (float f : v) {
        norm += f * f;
      }
      for (int i = 0; i < 8; i++) {
        v[i] = norm == 0 ? 0 : (float) (v[i] / Math.sqrt(norm));
      }
      out.add(v);
    }
    return out;
  }
}
