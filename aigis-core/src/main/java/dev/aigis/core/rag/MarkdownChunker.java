package dev.aigis.core.rag;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document into chunks of at most {@code maxChars} characters. Markdown is split at headings
 * first (each chunk keeps the path of headings it sits under, fenced code is never read as a
 * heading), then paragraphs are packed into chunks; a paragraph longer than a chunk is cut at a
 * sentence end or a space. A chunk after the first of a section starts with the last
 * {@code overlapChars} characters (from a word start) of the one before, so a fact cut in two is
 * whole in one of them. Plain text is one section. Stateless and thread-safe.
 */
public final class MarkdownChunker {

  private static final String SEPARATOR = "\n\n";

  private final int maxChars;
  private final int overlapChars;

  /** @throws IllegalArgumentException unless {@code 0 <= overlapChars <= maxChars / 2} and {@code maxChars >= 20} */
  public MarkdownChunker(int maxChars, int overlapChars) {
    if (maxChars < 20 || overlapChars < 0 || overlapChars > maxChars / 2) {
      throw new IllegalArgumentException("need maxChars >= 20 and 0 <= overlapChars <= maxChars / 2");
    }
    this.maxChars = maxChars;
    this.overlapChars = overlapChars;
  }

  /** The chunks of one document, in order, numbered from 1. */
  public List<Chunk> chunk(String source, String text, boolean markdown) {
    String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
    List<Section> sections = markdown ? sections(normalised) : List.of(new Section("", paragraphs(normalised)));
    List<Chunk> chunks = new ArrayList<>();
    for (Section section : sections) {
      for (String piece : pack(section.paragraphs())) {
        chunks.add(new Chunk(source, section.path(), chunks.size() + 1, piece));
      }
    }
    return chunks;
  }

  /** Whether a document name is read as Markdown (else as plain text). */
  public static boolean isMarkdown(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".md") || lower.endsWith(".markdown");
  }

  private record Section(String path, List<String> paragraphs) {}

  private static List<Section> sections(String text) {
    List<Section> sections = new ArrayList<>();
    List<String> headings = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    boolean fenced = false;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        fenced = !fenced;
      }
      int level = fenced ? 0 : headingLevel(trimmed);
      if (level == 0) {
        body.append(line).append('\n');
        continue;
      }
      addSection(sections, headings, body);
      body.setLength(0);
      while (headings.size() >= level) {
        headings.removeLast();
      }
      while (headings.size() < level - 1) {
        headings.add(""); // a skipped level (# then ###) keeps its place empty
      }
      headings.add(trimmed.substring(level).strip().replaceAll("\\s*#+$", ""));
    }
    addSection(sections, headings, body);
    return sections;
  }

  private static void addSection(List<Section> sections, List<String> headings, StringBuilder body) {
    List<String> paragraphs = paragraphs(body.toString());
    if (!paragraphs.isEmpty()) {
      sections.add(new Section(String.join(" > ", headings.stream().filter(h -> !h.isEmpty()).toList()), paragraphs));
    }
  }

  /** {@code # Title} is 1 ... {@code ###### Title} is 6; anything else 0. */
  private static int headingLevel(String line) {
    int level = 0;
    while (level < line.length() && line.charAt(level) == '#') {
      level++;
    }
    return level >= 1 && level <= 6 && (line.length() == level || line.charAt(level) == ' ') ? level : 0;
  }

  private static List<String> paragraphs(String text) {
    List<String> paragraphs = new ArrayList<>();
    for (String paragraph : text.split("\n\\s*\n")) {
      String stripped = paragraph.strip();
      if (!stripped.isEmpty()) {
        paragraphs.add(stripped);
      }
    }
    return paragraphs;
  }

  /** Paragraphs packed into chunks of at most {@code maxChars}, each after the first led by the previous one's tail. */
  private List<String> pack(List<String> paragraphs) {
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean fresh = false; // whether current holds more than the carried-over overlap
    int pieceLimit = maxChars - overlapChars - SEPARATOR.length();
    for (String paragraph : paragraphs) {
      for (String piece : cut(paragraph, pieceLimit)) {
        int needed = current.isEmpty() ? piece.length() : current.length() + SEPARATOR.length() + piece.length();
        if (fresh && needed > maxChars) {
          String done = current.toString();
          chunks.add(done);
          current.setLength(0);
          current.append(tail(done));
          fresh = false;
        }
        if (!current.isEmpty()) {
          current.append(SEPARATOR);
        }
        current.append(piece);
        fresh = true;
      }
    }
    if (fresh) {
      chunks.add(current.toString());
    }
    return chunks;
  }

  /** A paragraph in pieces of at most {@code limit}: cut after a sentence end, else at a space, else hard. */
  private static List<String> cut(String paragraph, int limit) {
    List<String> pieces = new ArrayList<>();
    String rest = paragraph;
    while (rest.length() > limit) {
      int at = lastSentenceEnd(rest, limit);
      if (at < limit / 2) {
        at = rest.lastIndexOf(' ', limit);
      }
      if (at < limit / 2) {
        at = limit;
      }
      pieces.add(rest.substring(0, at).strip());
      rest = rest.substring(at).strip();
    }
    if (!rest.isEmpty()) {
      pieces.add(rest);
    }
    return pieces;
  }

  /** The index just after the last {@code . }, {@code ! } or {@code ? } within {@code limit}, or -1. */
  private static int lastSentenceEnd(String text, int limit) {
    for (int i = Math.min(limit, text.length() - 1) - 1; i > 0; i--) {
      char c = text.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i + 1))) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The last {@code overlapChars} characters of {@code chunk}, starting at a word. */
  private String tail(String chunk) {
    if (overlapChars == 0 || chunk.length() <= overlapChars) {
      return overlapChars == 0 ? "" : chunk;
    }
    int from = chunk.length() - overlapChars;
    if (!Character.isWhitespace(chunk.charAt(from - 1))) {
      int space = indexOfWhitespace(chunk, from);
      from = space < 0 ? from : space + 1;
    }
    return chunk.substring(from).strip();
  }

  private static int indexOfWhitespace(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
