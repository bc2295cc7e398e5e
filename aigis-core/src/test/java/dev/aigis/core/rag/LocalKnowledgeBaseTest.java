package dev.aigis.core.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.EmbeddingObserver;
import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.core.embedding.EmbeddingSettings;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.model.KnowledgeBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local knowledge base on the real embedding model: built, searched, rebuilt on change reusing vectors. */
class LocalKnowledgeBaseTest {

  static EmbeddingService service;
  static final AtomicInteger embedded = new AtomicInteger();

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    service = EmbeddingService.start(MiniLmEmbedder.shared(), EmbeddingSettings.defaults(), EmbeddingObserver.NONE);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  /** The shared service, counting the texts an index build embeds. */
  static EmbeddingService counting() {
    return new EmbeddingService() {
      @Override
      public CompletionStage<float[]> embed(String text) {
        return service.embed(text);
      }

      @Override
      public int dimension() {
        return service.dimension();
      }

      @Override
      public Embedder asEmbedder() {
        Embedder inner = service.asEmbedder();
        return new Embedder() {
          @Override
          public int dimension() {
            return inner.dimension();
          }

          @Override
          public int maxTokens() {
            return inner.maxTokens();
          }

          @Override
          public List<float[]> embedAll(List<String> texts) {
            embedded.addAndGet(texts.size());
            return inner.embedAll(texts);
          }
        };
      }

      @Override
      public void close() {}
    };
  }

  private void write(String name, String text, long modified) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }

  private DocumentSet documents() {
    return new DocumentSet(List.of(new DocumentSet.FileSource(dir, List.of("**/*.md"), "spec.sources[0].path")), Map.of());
  }

  private static List<String> ask(Retriever base, String question) {
    return base.retrieve(question, 2, 0.2, null).toCompletableFuture().join().stream().map(Retrieved::marker).toList();
  }

  @Test
  void findsTheChunkThatAnswersAndRebuildsOnlyWhatChanged() throws IOException {
    write("guide.md", """
        # Guide

        ## Install

        Download the archive and run the installer script with sudo on Linux.

        ## Billing

        Invoices are sent by e-mail on the first day of each month.
        """, 1_000_000);
    write("faq/ports.md", "# Ports\n\nThe gateway listens on port 8080 and the admin endpoints on 9901.\n", 1_000_000);
    write("notes.txt", "Not included by the glob.", 1_000_000);
    KnowledgeRuntime runtime = KnowledgeRuntime.live(LocalKnowledgeBaseTest::counting, RagObserver.NONE);
    embedded.set(0);

    LocalKnowledgeBase base = runtime.local("default/docs", documents(), KnowledgeBase.Chunking.DEFAULT);
    runtime.committed();

    assertThat(embedded.get()).isEqualTo(3);
    assertThat(base.index().chunks()).extracting(Chunk::marker).containsExactly("faq/ports.md#1", "guide.md#1", "guide.md#2");
    assertThat(ask(base, "How do I install it?").getFirst()).isEqualTo("guide.md#1");
    assertThat(ask(base, "Which port does it listen on?").getFirst()).isEqualTo("faq/ports.md#1");
    assertThat(runtime.local("default/docs", documents(), KnowledgeBase.Chunking.DEFAULT))
        .as("a reload with the same documents keeps the index").isSameAs(base);
    runtime.committed();

    write("faq/ports.md", "# Ports\n\nSince version 2 the gateway listens on port 8443 with TLS.\n", 2_000_000);
    runtime.refresh();

    assertThat(embedded.get()).as("only the changed chunk is embedded again").isEqualTo(4);
    assertThat(base.index().chunks().getFirst().text()).contains("8443");
    assertThat(ask(base, "Is there TLS?").getFirst()).isEqualTo("faq/ports.md#1");
  }

  @Test
  void aRefusedReloadLeavesTheServingBaseFollowingItsFiles() throws IOException {
    write("a.md", "# A\n\nThe first version of the text.\n", 1_000_000);
    KnowledgeRuntime runtime = KnowledgeRuntime.live(() -> service, RagObserver.NONE);
    LocalKnowledgeBase serving = runtime.local("default/docs", documents(), KnowledgeBase.Chunking.DEFAULT);
    runtime.committed();

    LocalKnowledgeBase refused = runtime.local("default/docs", documents(), new KnowledgeBase.Chunking(300, 50));
    runtime.discardCompiled();
    write("a.md", "# A\n\nThe second version of the text.\n", 2_000_000);
    runtime.refresh();

    assertThat(refused).isNotSameAs(serving);
    assertThat(serving.index().chunks().getFirst().text()).isEqualTo("The second version of the text.");
    assertThat(refused.index().chunks().getFirst().text()).as("not polled").isEqualTo("The first version of the text.");
  }

  @Test
  void aMissingDirectoryIsAnErrorAtItsField() {
    KnowledgeRuntime runtime = KnowledgeRuntime.live(() -> service, RagObserver.NONE);
    DocumentSet missing = new DocumentSet(List.of(new DocumentSet.FileSource(dir.resolve("nope"), List.of(),
        "spec.sources[0].path")), Map.of());

    assertThatThrownBy(() -> runtime.local("default/docs", missing, KnowledgeBase.Chunking.DEFAULT))
        .isInstanceOfSatisfying(KnowledgeBaseException.class, e -> {
          assertThat(e.detail()).isEqualTo("spec.sources[0].path");
          assertThat(e.getMessage()).isEqualTo("no such file or directory: " + dir.resolve("nope"));
        });
  }

  @Test
  void moreThanTheChunkLimitPointsAtTheExternalRetriever() {
    String text = "word ".repeat(KnowledgeIndexBuilder.MAX_CHUNKS * 4);

    assertThatThrownBy(() -> KnowledgeIndexBuilder.chunks("default/big",
        List.of(new DocumentSet.Document("big.txt", text)), new MarkdownChunker(20, 0)))
        .isInstanceOf(KnowledgeBaseException.class)
        .hasMessage("KnowledgeBase default/big has more than 20000 chunks; serve a corpus this large with an"
            + " external retriever (spec.retriever)");
  }

  @Test
  void configMapDocumentsAreIndexedUnderTheirMapAndKey() {
    KnowledgeRuntime runtime = KnowledgeRuntime.live(() -> service, RagObserver.NONE);
    DocumentSet fromMap = new DocumentSet(List.of(), Map.of("faq/faq.md", "# Refunds\n\nRefunds take five days."));

    LocalKnowledgeBase base = runtime.local("default/faq", fromMap, KnowledgeBase.Chunking.DEFAULT);

    assertThat(ask(base, "how long do refunds take")).containsExactly("faq/faq.md#1");
  }
}
