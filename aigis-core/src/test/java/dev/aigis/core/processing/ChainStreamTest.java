package dev.aigis.core.processing;

import static dev.aigis.core.processing.FakeProcessor.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.OpenAiErrorRenderer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChainStreamTest {

  private static final Duration TIMEOUT = Duration.ofMillis(100);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingObserver observer = new RecordingObserver();
  private final ProcessedRequest request =
      new ProcessedRequest("POST", "/v1/chat/completions", new HeaderList(), null, "gpt-4o");
  private final ProcessedResponse response = new ProcessedResponse(200, new HeaderList());

  private ChainExchange start(ConfiguredProcessor... processors) {
    return new ProcessingChain("chain", List.of(processors)).start(Runnable::run, scheduler, observer);
  }

  private static ConfiguredProcessor closed(String name, Processor p) {
    return new ConfiguredProcessor(name, FailureMode.FailClosed, TIMEOUT, p);
  }

  private static ConfiguredProcessor open(String name, Processor p) {
    return new ConfiguredProcessor(name, FailureMode.FailOpen, TIMEOUT, p);
  }

  private static ResponseChunk event(String data) {
    return new ResponseChunk(bytes(data), true, false);
  }

  private static ResponseChunk last(String data) {
    return new ResponseChunk(bytes(data), true, true);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private ChunkOutcome send(ChainExchange exchange, ResponseChunk chunk) {
    var future = exchange.responseChunk(request, response, chunk).toCompletableFuture();
    assertThat(future).isDone();
    return future.join();
  }

  private static List<String> written(ChunkOutcome outcome) {
    assertThat(outcome).isInstanceOf(ChunkOutcome.Write.class);
    return ((ChunkOutcome.Write) outcome).chunks().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  private static String ended(ChunkOutcome outcome) {
    assertThat(outcome).isInstanceOf(ChunkOutcome.End.class);
    return new String(((ChunkOutcome.End) outcome).finalBytes(), StandardCharsets.UTF_8);
  }

  /** Holds every chunk until it has seen {@code window} of them, then emits them all. */
  private static FakeProcessor holdsInWindowsOf(int window, int declared) {
    var p = FakeProcessor.streaming(declared);
    List<byte[]> mine = new ArrayList<>();
    p.chunks = c -> {
      if (mine.size() + 1 < window && !c.endOfStream()) {
        mine.add(c.bytes());
        return done(new ChunkVerdict.Emit(List.of()));
      }
      List<byte[]> all = new ArrayList<>(mine);
      all.add(c.bytes());
      mine.clear();
      return done(new ChunkVerdict.Emit(all));
    };
    return p;
  }

  @Test
  void chunksPassUntouchedWhenNoProcessorWantsTheBody() {
    var headersOnly = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    ChainExchange exchange = start(closed("h", headersOnly));

    assertThat(written(send(exchange, event("a")))).containsExactly("a");
    assertThat(headersOnly.calls).isEmpty();
  }

  @Test
  void heldChunksAreReleasedLaterInOrder() {
    ChainExchange exchange = start(closed("window", holdsInWindowsOf(3, 2)));

    assertThat(written(send(exchange, event("a")))).isEmpty();
    assertThat(written(send(exchange, event("b")))).isEmpty();
    assertThat(written(send(exchange, event("c")))).containsExactly("a", "b", "c");
    assertThat(written(send(exchange, last("d")))).containsExactly("d");
  }

  @Test
  void holdingMoreThanDeclaredFailsClosedWithAnErrorEvent() {
    ChainExchange exchange = start(closed("greedy", holdsInWindowsOf(4, 2)));

    send(exchange, event("a"));
    send(exchange, event("b"));
    String end = ended(send(exchange, event("c")));

    var error = new GatewayError.ProcessorFailed("greedy", "held 3 response chunks; its limit is 2");
    assertThat(end).isEqualTo(new String(OpenAiErrorRenderer.INSTANCE.streamEvent(error), StandardCharsets.UTF_8));
    assertThat(observer.events).last().isEqualTo("greedy:RESPONSE_CHUNK:FAILED_CLOSED");
    assertThat(written(send(exchange, event("after the end")))).isEmpty();
  }

  @Test
  void holdingMoreThanDeclaredUnderFailOpenReleasesTheHeldChunksAndSkipsIt() {
    FakeProcessor greedy = holdsInWindowsOf(4, 1);
    ChainExchange exchange = start(open("greedy", greedy));

    assertThat(written(send(exchange, event("a")))).isEmpty();
    assertThat(written(send(exchange, event("b")))).containsExactly("a", "b");
    assertThat(written(send(exchange, event("c")))).containsExactly("c");
    assertThat(greedy.calls).hasSize(2);
    assertThat(observer.events).containsExactly("greedy:RESPONSE_CHUNK:CONTINUED", "greedy:RESPONSE_CHUNK:FAILED_OPEN");
  }

  @Test
  void heldChunksAreFlushedAtEndOfStream() {
    var hoarder = FakeProcessor.streaming(5);
    hoarder.chunks = c -> done(new ChunkVerdict.Emit(List.of()));
    ChainExchange exchange = start(closed("hoarder", hoarder));

    send(exchange, event("a"));
    send(exchange, event("b"));

    assertThat(written(send(exchange, last("c")))).containsExactly("a", "b", "c");
  }

  @Test
  void aChunkFlowsThroughTwoProcessorsInOrder() {
    var splitter = FakeProcessor.streaming(0);
    splitter.chunks = c -> {
      String s = new String(c.bytes(), StandardCharsets.UTF_8);
      return done(new ChunkVerdict.Emit(List.of(bytes(s + "1"), bytes(s + "2"))));
    };
    var upper = FakeProcessor.streaming(0);
    List<Boolean> endFlags = new ArrayList<>();
    upper.chunks = c -> {
      endFlags.add(c.endOfStream());
      return done(new ChunkVerdict.Emit(
          List.of(bytes(new String(c.bytes(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)))));
    };
    ChainExchange exchange = start(closed("splitter", splitter), closed("upper", upper));

    assertThat(written(send(exchange, event("a")))).containsExactly("A1", "A2");
    assertThat(written(send(exchange, last("b")))).containsExactly("B1", "B2");
    assertThat(endFlags).containsExactly(false, false, false, true);
    assertThat(exchange.ran()).containsExactly("splitter", "upper");
  }

  @Test
  void endStopsTheStreamAfterWhatAlreadyPassed() {
    var splitter = FakeProcessor.streaming(0);
    splitter.chunks = c -> done(new ChunkVerdict.Emit(List.of(bytes("ok;"), bytes("bad;"))));
    var guard = FakeProcessor.streaming(0);
    guard.chunks = c -> new String(c.bytes(), StandardCharsets.UTF_8).startsWith("bad")
        ? done(new ChunkVerdict.End(bytes("data: {\"error\":{}}\n\n"), "blocked"))
        : done(ChunkVerdict.pass(c));
    var after = FakeProcessor.streaming(0);
    ChainExchange exchange = start(closed("splitter", splitter), closed("guard", guard), closed("after", after));

    assertThat(ended(send(exchange, event("x")))).isEqualTo("ok;data: {\"error\":{}}\n\n");
    assertThat(after.calls).hasSize(1);
    assertThat(observer.events).contains("guard:RESPONSE_CHUNK:ENDED_STREAM");
    assertThat(written(send(exchange, event("y")))).isEmpty();
    assertThat(splitter.calls).hasSize(1);
  }

  @Test
  void aFailClosedChunkErrorEndsTheStreamWithAnOpenAiErrorEvent() {
    var broken = FakeProcessor.streaming(0);
    broken.chunks = c -> CompletableFuture.failedFuture(new ProcessorException("detector down"));

    String end = ended(send(start(closed("broken", broken)), event("a")));

    assertThat(end).startsWith("data: {\"error\":{\"message\":\"Processor broken failed: detector down\"")
        .endsWith("\"code\":\"processor_failed\"}}\n\n");
  }

  @Test
  void aFailClosedChunkTimeoutEndsTheStream() {
    var slow = FakeProcessor.streaming(0);
    slow.chunks = c -> new CompletableFuture<>();
    ChainExchange exchange = start(closed("slow", slow));

    var outcome = exchange.responseChunk(request, response, event("a")).toCompletableFuture();
    scheduler.advance(TIMEOUT);

    assertThat(ended(outcome.join())).contains("\"code\":\"processor_timeout\"");
    assertThat(observer.events).containsExactly("slow:RESPONSE_CHUNK:TIMED_OUT_CLOSED");
  }

  @Test
  void aFailOpenChunkTimeoutPassesTheChunkAndSkipsTheProcessorForTheRestOfTheStream() {
    var slow = FakeProcessor.streaming(0);
    slow.chunks = c -> new CompletableFuture<>();
    ChainExchange exchange = start(open("slow", slow));

    var outcome = exchange.responseChunk(request, response, event("a")).toCompletableFuture();
    scheduler.advance(TIMEOUT);

    assertThat(written(outcome.join())).containsExactly("a");
    assertThat(written(send(exchange, last("b")))).containsExactly("b");
    assertThat(slow.calls).hasSize(1);
    assertThat(observer.events).containsExactly("slow:RESPONSE_CHUNK:TIMED_OUT_OPEN");
  }
}
