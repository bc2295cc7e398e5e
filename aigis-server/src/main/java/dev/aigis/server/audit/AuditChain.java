package dev.aigis.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain of an audit log, shared by the writer and {@code aigis audit verify}.
 *
 * <p>Every line is one JSON object whose {@code seq} is one more than the line before it and whose
 * {@code prev} is the lowercase hex SHA-256 of the previous line's exact bytes (without its
 * newline); the very first record's {@code prev} is {@link #GENESIS}. The first line of a file
 * written after rotation is a {@code rotated} record, so its {@code prev} is the chain head of the
 * file before: deleting or truncating a rotated file breaks the chain at the next file's first line.
 *
 * <p>What the chain cannot show on its own: an edit of the newest record of the newest file (nothing
 * chains to it yet), and the removal of the oldest files (retention does that on purpose; the chain
 * then starts at a {@code rotated} record, which verification accepts as a start).
 */
public final class AuditChain {

  /** The {@code prev} of the first record ever written. */
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditChain() {}

  /** Hex SHA-256 of one line's bytes, without its newline. */
  public static String hash(byte[] line) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The outcome of verifying a chain.
   *
   * @param records how many records were read (all of them when the chain holds)
   * @param problem null when the chain holds, else {@code FILE:LINE: record seq S: what is wrong}
   */
  public record Verdict(long records, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /**
   * Verifies the files of one chain, given in any order (they are put in chain order by the
   * {@code seq} of their first records), and names the first bad record.
   */
  public static Verdict verify(List<Path> files) throws IOException {
    List<List<Line>> perFile = new ArrayList<>();
    for (Path file : files) {
      List<Line> lines = read(file);
      if (lines.isEmpty()) {
        continue;
      }
      Line bad = lines.stream().filter(l -> l.node == null).findFirst().orElse(null);
      if (bad != null) {
        return new Verdict(0, bad.where() + ": not a valid audit record (" + bad.parseError + ")");
      }
      perFile.add(lines);
    }
    perFile.sort(Comparator.comparingLong(lines -> lines.getFirst().seq));
    List<Line> chain = perFile.stream().flatMap(List::stream).toList();
    return verifyLines(chain);
  }

  static Verdict verifyLines(List<Line> chain) {
    for (int i = 0; i < chain.size(); i++) {
      Line line = chain.get(i);
      if (i == 0) {
        if (line.seq == 1 && !GENESIS.equals(line.prev)) {
          return bad(i, line, "the first record's prev is not the genesis hash (edited)");
        }
        if (line.seq != 1 && !"rotated".equals(line.type)) {
          return bad(i, line, "the chain starts at seq " + line.seq + " with a '" + line.type
              + "' record: earlier records were removed");
        }
        continue;
      }
      Line before = chain.get(i - 1);
      long expected = before.seq + 1;
      String head = before.hash();
      if (line.seq == expected && head.equals(line.prev)) {
        continue;
      }
      Line after = i + 1 < chain.size() ? chain.get(i + 1) : null;
      if (line.seq == before.seq && line.prev.equals(before.prev)) {
        // Two records claim the same place; the one the chain goes on from is genuine.
        return after != null && line.hash().equals(after.prev)
            ? bad(i - 1, before, "inserted: the record after it chains to seq " + (before.seq - 1))
            : bad(i, line, "inserted: seq " + line.seq + " already chains to seq " + (line.seq - 1) + " at line "
                + before.number);
      }
      boolean afterChainsPast = after != null && after.seq == expected && head.equals(after.prev);
      if (afterChainsPast && after.hash().equals(line.prev)) {
        return bad(i, line, "out of order: it comes before seq " + after.seq + " (records were swapped)");
      }
      if (afterChainsPast) {
        return bad(i, line, "inserted: the record after it chains to seq " + before.seq);
      }
      if (line.seq == expected && line.first && "rotated".equals(line.type)) {
        return bad(i, line, "its chain head does not match the last record of " + before.file.getFileName()
            + " (seq " + before.seq + "): that file was edited or truncated, or a file is missing");
      }
      if (line.seq == expected) {
        return bad(i - 1, before, "edited: its hash does not match the prev of the record after it");
      }
      if (head.equals(line.prev)) {
        return bad(i, line, "edited: its seq should be " + expected);
      }
      if (line.seq > expected && line.first && "rotated".equals(line.type)) {
        // previousFile is the name at rotation time; later rotations have renamed it since.
        return bad(i, line, "records " + expected + " to " + (line.seq - 1) + " are missing: "
            + "the file rotated before this one was deleted");
      }
      if (line.seq > expected) {
        return bad(i, line, (line.seq - 1 > expected ? "records " + expected + " to " + (line.seq - 1) + " are"
            : "record " + expected + " is") + " missing (removed)");
      }
      return bad(i, line, "out of order: it follows seq " + before.seq + " (expected seq " + expected + ")");
    }
    return new Verdict(chain.size(), null);
  }

  private static Verdict bad(int index, Line line, String what) {
    return new Verdict(index, line.where() + ": record seq " + line.seq + ": " + what);
  }

  /** Reads a file's lines as raw bytes (hashing needs the exact bytes) with their parsed fields. */
  static List<Line> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int number = 1;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      byte[] line = java.util.Arrays.copyOfRange(bytes, start, end);
      lines.add(Line.parse(file, number, line, lines.isEmpty()));
      start = end + 1;
      number++;
    }
    return lines;
  }

  /** One line of a file; {@code node} is null when it is not a JSON record with seq and prev. */
  static final class Line {
    final Path file;
    final int number;
    final byte[] bytes;
    final boolean first;
    JsonNode node;
    String parseError;
    long seq;
    String prev;
    String type;
    private String hash;

    private Line(Path file, int number, byte[] bytes, boolean first) {
      this.file = file;
      this.number = number;
      this.bytes = bytes;
      this.first = first;
    }

    static Line parse(Path file, int number, byte[] bytes, boolean first) {
      Line line = new Line(file, number, bytes, first);
      try {
        JsonNode node = JSON.readTree(bytes);
        if (node == null || !node.path("seq").canConvertToLong() || !node.path("prev").isTextual()) {
          line.parseError = "no seq or prev";
          return line;
        }
        line.node = node;
        line.seq = node.get("seq").asLong();
        line.prev = node.get("prev").asText();
        line.type = node.path("type").asText("");
      } catch (IOException e) {
        line.parseError = "not JSON";
      }
      return line;
    }

    String hash() {
      if (hash == null) {
        hash = AuditChain.hash(bytes);
      }
      return hash;
    }

    String where() {
      return file + ":" + number;
    }
  }
}
