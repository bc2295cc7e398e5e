package dev.aigis.core.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The external retriever against a real local HTTP server. */
class HttpRetrieverTest {

  private HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicReference<String> requestBody = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile byte[] answer = new byte[0];
  private volatile boolean hang;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/search", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    client.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    authorization.set(exchange.getRequestHeaders().getFirst("authorization"));
    if (hang) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private HttpRetriever retriever(Duration timeout) {
    return new HttpRetriever("default/remote", client,
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/search"), timeout,
        Map.of("authorization", "Bearer t0k3n"));
  }

  private List<Retrieved> retrieve(HttpRetriever retriever) {
    try {
      return retriever.retrieve("How do I install?", 2, 0.5, null).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void postsTheQueryAndKeepsTheBestChunksAboveTheScore() {
    answer = """
        {"chunks": [
          {"text": "Run the installer.", "source": "guide.md#2", "score": 0.71},
          {"text": "Too far.", "source": "faq.md#9", "score": 0.2},
          {"text": "Download the release.", "source": "guide.md#1", "score": 0.83},
          {"text": "Third best.", "source": "faq.md#1", "score": 0.6}]}
        """.getBytes(StandardCharsets.UTF_8);

    List<Retrieved> hits = retrieve(retriever(Duration.ofSeconds(5)));

    assertThat(hits).containsExactly(
        new Retrieved("guide.md#1", "guide.md#1", "Download the release.", 0.83),
        new Retrieved("guide.md#2", "guide.md#2", "Run the installer.", 0.71));
    assertThat(requestBody.get())
        .isEqualTo("{\"query\":\"How do I install?\",\"topK\":2,\"knowledgeBase\":\"default/remote\"}");
    assertThat(authorization.get()).isEqualTo("Bearer t0k3n");
  }

  @Test
  void aSourceIsMadeSafeForAHeader() {
    assertThat(HttpRetriever.headerSafe("faq, part 1\r\nx: y")).isEqualTo("faq__part_1__x:_y");
  }

  @Test
  void aRetrieverThatDoesNotAnswerInTimeFailsWithTimeout() {
    hang = true;

    assertThatThrownBy(() -> retrieve(retriever(Duration.ofMillis(200))))
        .isInstanceOfSatisfying(KnowledgeBaseException.class, e -> {
          assertThat(e.detail()).isEqualTo("timeout");
          assertThat(e.getMessage()).isEqualTo("retriever of default/remote did not answer within 200 ms");
        });
  }

  @Test
  void anAnswerThatIsNotJsonIsInvalid() {
    answer = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> retrieve(retriever(Duration.ofSeconds(5))))
        .isInstanceOfSatisfying(KnowledgeBaseException.class, e -> {
          assertThat(e.detail()).isEqualTo("invalid");
          assertThat(e.getMessage()).isEqualTo("retriever of default/remote: the answer is not JSON");
        });
  }

  @Test
  void aChunkWithoutAScoreIsInvalid() {
    answer = "{\"chunks\":[{\"text\":\"x\",\"source\":\"a\"}]}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> retrieve(retriever(Duration.ofSeconds(5))))
        .hasMessage("retriever of default/remote: the answer has a chunk without text, source and a numeric score");
  }

  @Test
  void anOversizedAnswerIsRefused() {
    answer = ("{\"chunks\":[{\"text\":\"" + "x".repeat(HttpRetriever.MAX_RESPONSE_BYTES) + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> retrieve(retriever(Duration.ofSeconds(5))))
        .hasMessage("retriever of default/remote: the answer is larger than 1048576 bytes");
  }

  @Test
  void anErrorStatusIsUnavailable() {
    status = 503;

    assertThatThrownBy(() -> retrieve(retriever(Duration.ofSeconds(5))))
        .isInstanceOfSatisfying(KnowledgeBaseException.class, e -> {
          assertThat(e.detail()).isEqualTo("unavailable");
          assertThat(e.getMessage()).isEqualTo("retriever of default/remote answered 503");
        });
  }
}
