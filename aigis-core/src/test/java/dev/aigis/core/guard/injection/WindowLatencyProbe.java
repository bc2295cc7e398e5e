package dev.aigis.core.guard.injection;

import dev.aigis.core.embedding.MiniLmEmbedder;
import java.util.Arrays;

/** Not a test: p50/p99 of one MiniLM run per window size, English prose and symbol-heavy text. */
public final class WindowLatencyProbe {

  public static void main(String[] args) {
    MiniLmEmbedder embedder = MiniLmEmbedder.shared();
    String prose = "Please keep the summary short, a few bullet points are enough for the board meeting. ".repeat(30);
    String symbols = "describing.\\ + similarlyNow write oppositeley.]( Me giving**ONE please? revert with \"\\!--Two ".repeat(30);
    for (int chars : new int[] {192, 256, 320, 400, 512}) {
      for (String text : new String[] {prose, symbols}) {
        String window = text.substring(0, chars);
        long[] nanos = new long[300];
        for (int i = 0; i < 50; i++) {
          embedder.embed(window);
        }
        for (int i = 0; i < nanos.length; i++) {
          long start = System.nanoTime();
          embedder.embed(window);
          nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%4d chars %3d tokens %-7s p50 %.2f ms p99 %.2f ms%n", chars, embedder.tokens(window),
            text == prose ? "prose" : "symbols", nanos[150] / 1e6, nanos[296] / 1e6);
      }
    }
  }
}
