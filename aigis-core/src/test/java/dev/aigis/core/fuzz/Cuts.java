package dev.aigis.core.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ways to cut one fuzz input into the chunks a network could deliver, for the differential
 * property of every incremental decoder: the same bytes give the same result however they are cut.
 * The cuts are drawn from the input itself, so a corpus file alone reproduces a failure.
 */
public final class Cuts {

  private Cuts() {}

  /** One byte per chunk: every boundary at once. */
  public static List<byte[]> bytewise(byte[] input) {
    List<byte[]> pieces = new ArrayList<>(input.length);
    for (byte b : input) {
      pieces.add(new byte[] {b});
    }
    return pieces;
  }

  /** Pieces of 1 to {@code maxPiece} bytes, their sizes drawn from a generator seeded by the input. */
  public static List<byte[]> random(byte[] input, int maxPiece) {
    var sizes = new SplittableRandom(Arrays.hashCode(input));
    List<byte[]> pieces = new ArrayList<>();
    for (int from = 0; from < input.length; ) {
      int to = Math.min(input.length, from + 1 + sizes.nextInt(maxPiece));
      pieces.add(Arrays.copyOfRange(input, from, to));
      from = to;
    }
    return pieces;
  }
}
