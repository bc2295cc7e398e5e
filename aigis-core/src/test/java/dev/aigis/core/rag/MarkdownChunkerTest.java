package dev.aigis.core.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownChunkerTest {

  @Test
  void eachChunkKeepsItsHeadingPathAndChunksAreNumberedInOrder() {
    String doc = """
        # Guide

        Aigis is a gateway.

        ## Install

        Download the release.

        ### Linux

        Run the installer as root.

        ## Use
        Send a request.
        """;

    List<Chunk> chunks = new MarkdownChunker(200, 40).chunk("guide.md", doc, true);

    assertThat(chunks).containsExactly(
        new Chunk("guide.md", "Guide", 1, "Aigis is a gateway."),
        new Chunk("guide.md", "Guide > Install", 2, "Download the release."),
        new Chunk("guide.md", "Guide > Install > Linux", 3, "Run the installer as root."),
        new Chunk("guide.md", "Guide > Use", 4, "Send a request."));
    assertThat(chunks.get(2).marker()).isEqualTo("guide.md#3");
    assertThat(chunks.get(2).label()).isEqualTo("guide.md § Guide > Install > Linux");
  }

  @Test
  void aHashInFencedCodeIsNotAHeading() {
    String doc = """
        ## Config

        ```bash
        # not a heading
        aigis run
        ```
        """;

    List<Chunk> chunks = new MarkdownChunker(200, 0).chunk("c.md", doc, true);

    assertThat(chunks).containsExactly(new Chunk("c.md", "Config", 1, "```bash\n# not a heading\naigis run\n```"));
  }

  @Test
  void plainTextHasNoSectionsAndKeepsHashLines() {
    List<Chunk> chunks = new MarkdownChunker(200, 0).chunk("notes.txt", "# one\n\ntwo", false);

    assertThat(chunks).containsExactly(new Chunk("notes.txt", "", 1, "# one\n\ntwo"));
    assertThat(MarkdownChunker.isMarkdown("a/B.MD")).isTrue();
    assertThat(MarkdownChunker.isMarkdown("notes.txt")).isFalse();
  }

  @Test
  void paragraphsArePackedUpToTheLimitAndTheNextChunkStartsWithTheTailOfThePrevious() {
    String a = "Alpha paragraph talks about the first topic here.";  // 50
    String b = "Bravo paragraph covers a second and different one.";  // 50
    String c = "Charlie paragraph ends the section with a summary.";  // 50

    List<Chunk> chunks = new MarkdownChunker(110, 30).chunk("x.md", a + "\n\n" + b + "\n\n" + c, true);

    assertThat(chunks).extracting(Chunk::text).containsExactly(
        a + "\n\n" + b,
        "a second and different one.\n\n" + c);
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text().length()).isLessThanOrEqualTo(110));
  }

  @Test
  void aLongParagraphIsCutAtSentenceEndsWithinTheLimit() {
    String sentence = "The quick brown fox jumps over it. ";  // 35
    String paragraph = sentence.repeat(10).strip();

    List<Chunk> chunks = new MarkdownChunker(120, 20).chunk("long.txt", paragraph, false);

    assertThat(chunks).hasSizeGreaterThan(3);
    assertThat(chunks).allSatisfy(chunk -> {
      assertThat(chunk.text().length()).isLessThanOrEqualTo(120);
      assertThat(chunk.text()).endsWith(".");
    });
    assertThat(chunks.getFirst().text()).isEqualTo(sentence.repeat(2).strip());
  }

  @Test
  void noOverlapMeansDisjointChunks() {
    String text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";

    List<Chunk> chunks = new MarkdownChunker(40, 0).chunk("n.txt", text, false);

    assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
  }

  @Test
  void refusesAnOverlapOfMoreThanHalfAChunk() {
    assertThatThrownBy(() -> new MarkdownChunker(100, 51)).isInstanceOf(IllegalArgumentException.class);
  }
}
