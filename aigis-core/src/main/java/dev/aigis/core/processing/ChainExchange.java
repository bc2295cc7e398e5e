package dev.aigis.core.processing;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.processing.ProcessingObserver.Outcome;
import dev.aigis.core.processing.ProcessingObserver.Stage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One exchange's run through a {@link ProcessingChain}: the request, then the response head, then
 * the response body chunk by chunk.
 *
 * <p>Rules, per stage:
 * <ul>
 *   <li>Processors run in list order; each sees the message as the previous ones left it. An
 *       {@code ImmediateResponse} stops the rest.
 *   <li>A stage that throws, completes exceptionally, or returns null is a processor error; one that
 *       has not completed when its {@code timeout} fires is a timeout, and its late completion is
 *       ignored. {@code FailClosed} fails the exchange (500 {@code ProcessorFailed}, 504
 *       {@code ProcessorTimeout}); {@code FailOpen} skips the processor for that stage, reports
 *       {@code FAILED_OPEN}/{@code TIMED_OUT_OPEN} and goes on. A processor that mutated the message
 *       before failing leaves those mutations in place: the chain does not copy messages to roll
 *       them back (the CEL processor mutates only on success).
 *   <li>Every stage result is reported to the {@link ProcessingObserver} with its duration.
 *   <li>A request body over the buffer limit never reaches the chain: the data plane answers 413
 *       ({@code BodyTooLarge}) while buffering.
 * </ul>
 *
 * <p>Threading: calls must come from the exchange's executor, one at a time (the data plane waits
 * for each outcome before the next call). A stage that completes synchronously is handled inline; an
 * asynchronous completion, or a timeout, hops back to the executor before the next processor runs.
 * Timeouts apply to asynchronous completion only: a processor that blocks the calling thread is not
 * interrupted. A timed-out stage's future is cancelled, so a processor working elsewhere can stop.
 *
 * <p>Allocation: besides the returned future, a pass allocates one small runner; an asynchronous
 * stage adds one waiter. Exchange states are created on first use.
 */
public final class ChainExchange implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ChainExchange.class.getName());
  private static final byte[] EMPTY = new byte[0];

  private static final byte RAN = 1;
  private static final byte HAS_STATE = 2;
  private static final byte SKIPPED_FOR_STREAM = 4;

  private final ProcessingChain chain;
  private final ConfiguredProcessor[] processors;
  private final ProcessorNeeds[] needs;
  private final Executor executor;
  private final Scheduler scheduler;
  private final ProcessingObserver observer;
  private final byte[] flags;
  private final Processor.ExchangeState[] states;
  // Response stream state, allocated on the first chunk that meets a body processor.
  private ArrayDeque<ResponseChunk>[] queues;
  private ArrayList<byte[]>[] held;
  private boolean streamEnded;
  private boolean closed;

  ChainExchange(ProcessingChain chain, Executor executor, Scheduler scheduler, ProcessingObserver observer) {
    this.chain = chain;
    this.processors = chain.array;
    this.needs = chain.needsOf;
    this.executor = executor;
    this.scheduler = scheduler;
    this.observer = observer;
    this.flags = new byte[processors.length];
    this.states = new Processor.ExchangeState[processors.length];
  }

  /**
   * Runs the request stages: for each processor, its headers stage (if it asks for request headers)
   * then its buffered body stage (if it asks for a BUFFERED body and the request has one).
   */
  public CompletionStage<ChainOutcome> request(ProcessedRequest request) {
    VerdictRun run = new VerdictRun(request, null);
    run.drive();
    return run.result;
  }

  /** Runs {@link Processor#onResponseHeaders} of each processor that asks for response headers. */
  public CompletionStage<ChainOutcome> responseHeaders(ProcessedRequest request, ProcessedResponse response) {
    VerdictRun run = new VerdictRun(request, response);
    run.drive();
    return run.result;
  }

  /**
   * Passes one response chunk through the processors that ask for the response body, in list order:
   * what processor i emits is fed, chunk by chunk, to processor i+1 (depth first, so the order of
   * chunks is kept). The outcome is what to write now.
   *
   * <p>Hold-back: a processor holds a chunk by answering it with an empty {@code Emit}; its held
   * count is the number of consecutive chunks it answered that way, and any non-empty {@code Emit}
   * is taken as releasing them. Holding more than its {@code holdBackEvents} is a processor error
   * (under {@code FailOpen} the chunks it held are released as received and it is skipped for the
   * rest of the stream). To drop a chunk, emit an empty byte array instead. At end of stream, a
   * processor that answers with nothing while holding chunks has them flushed as received, so every
   * chunk is emitted by the time the stream ends.
   *
   * <p>{@code End} (from a processor, or a {@code FailClosed} failure, whose error is rendered as an
   * error event in the caller's format for SSE streams and an error body otherwise) stops the stream: chunks still
   * held are discarded and later calls write nothing.
   */
  public CompletionStage<ChunkOutcome> responseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk) {
    if (streamEnded) {
      return CompletableFuture.completedFuture(new ChunkOutcome.Write(List.of()));
    }
    int first = nextBodyProcessor(-1);
    if (first < 0) {
      List<byte[]> out = chunk.bytes().length == 0 ? List.of() : List.of(chunk.bytes());
      return CompletableFuture.completedFuture(new ChunkOutcome.Write(out));
    }
    ensureStreamState();
    queues[first].add(chunk);
    ChunkRun run = new ChunkRun(request, response);
    run.drive();
    return run.result;
  }

  /** Names of the processors that ran a stage in this exchange, in list order (for a debug header). */
  public List<String> ran() {
    List<String> names = new ArrayList<>(processors.length);
    for (int i = 0; i < processors.length; i++) {
      if ((flags[i] & RAN) != 0) {
        names.add(processors[i].name());
      }
    }
    return names;
  }

  /**
   * Closes every exchange state created; idempotent. Called when the exchange ends or the client
   * leaves. A stage still pending completes its pass with a failure and no further stage runs.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = 0; i < states.length; i++) {
      if (states[i] != null) {
        try {
          states[i].close();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "Closing the state of processor " + processors[i].name() + " failed", e);
        }
        states[i] = null;
      }
    }
  }

  private Processor.ExchangeState state(int i) {
    if ((flags[i] & HAS_STATE) == 0) {
      flags[i] |= HAS_STATE;
      states[i] = processors[i].processor().newState();
    }
    return states[i];
  }

  private int nextBodyProcessor(int after) {
    for (int i = after + 1; i < processors.length; i++) {
      if (needs[i].responseBody() != BodyMode.NONE && (flags[i] & SKIPPED_FOR_STREAM) == 0) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private void ensureStreamState() {
    if (queues == null) {
      queues = new ArrayDeque[processors.length];
      held = new ArrayList[processors.length];
      for (int i = 0; i < processors.length; i++) {
        if (needs[i].responseBody() != BodyMode.NONE) {
          queues[i] = new ArrayDeque<>(4);
        }
      }
    }
  }

  private Outcome failureOutcome(ConfiguredProcessor p, boolean timedOut) {
    boolean open = p.failureMode() == FailureMode.FailOpen;
    if (timedOut) {
      return open ? Outcome.TIMED_OUT_OPEN : Outcome.TIMED_OUT_CLOSED;
    }
    return open ? Outcome.FAILED_OPEN : Outcome.FAILED_CLOSED;
  }

  private GatewayError failureError(ConfiguredProcessor p, Throwable failure, boolean timedOut) {
    if (timedOut) {
      return new GatewayError.ProcessorTimeout(p.name(), p.timeout().toMillis());
    }
    LOG.log(p.failureMode() == FailureMode.FailOpen ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
        "Processor " + p.name() + " of chain " + chain.name() + " failed", failure);
    String detail = failure instanceof ProcessorException ? failure.getMessage()
        : "unexpected " + failure.getClass().getSimpleName();
    return new GatewayError.ProcessorFailed(p.name(), detail);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean hasTimeout(Duration timeout) {
    return timeout != null && timeout.isPositive();
  }

  /** Receives a stage's result on the exchange's executor. */
  private interface Resumable<T> {
    void resume(T value, Throwable failure, boolean timedOut, long startNanos);
  }

  /**
   * Waits for one asynchronous stage: whichever of completion and timeout claims it first wins; the
   * other is ignored. Both hop to the executor before touching the exchange.
   */
  private final class Await<T> extends AtomicBoolean implements BiConsumer<T, Throwable>, Runnable {
    private final Resumable<T> target;
    private final long startNanos;
    private Scheduler.Cancellable timer;
    private CompletionStage<T> stage;
    private T value;
    private Throwable failure;
    private boolean timedOut;

    Await(Resumable<T> target, long startNanos) {
      this.target = target;
      this.startNanos = startNanos;
    }

    void await(CompletionStage<T> stage, Duration timeout) {
      this.stage = stage;
      if (hasTimeout(timeout)) {
        timer = scheduler.schedule(timeout, this::timeout);
      }
      stage.whenComplete(this);
    }

    @Override
    public void accept(T v, Throwable t) {
      if (compareAndSet(false, true)) {
        Scheduler.Cancellable pending = timer;
        if (pending != null) {
          pending.cancel();
        }
        value = v;
        failure = t;
        executor.execute(this);
      }
    }

    /** Claims the stage and cancels it, so work that watches its future (CEL on a worker) can stop. */
    private void timeout() {
      if (compareAndSet(false, true)) {
        timedOut = true;
        if (stage instanceof CompletableFuture<T> future) {
          future.cancel(false);
        }
        executor.execute(this);
      }
    }

    @Override
    public void run() {
      target.resume(value, failure == null ? null : unwrap(failure), timedOut, startNanos);
    }
  }

  /** Runs request stages (response == null) or response-header stages. */
  private final class VerdictRun implements Resumable<Verdict> {
    final ProcessedRequest request;
    final ProcessedResponse response;
    final CompletableFuture<ChainOutcome> result = new CompletableFuture<>();
    /** processor index * 2 + (0 headers, 1 body). */
    int position;

    VerdictRun(ProcessedRequest request, ProcessedResponse response) {
      this.request = request;
      this.response = response;
    }

    private Stage stageAt(int position) {
      ProcessorNeeds n = needs[position >> 1];
      if (response != null) {
        return (position & 1) == 0 && n.responseHeaders() ? Stage.RESPONSE_HEADERS : null;
      }
      if ((position & 1) == 0) {
        return n.requestHeaders() ? Stage.REQUEST_HEADERS : null;
      }
      return n.requestBody() == BodyMode.BUFFERED && request.hasBody() ? Stage.REQUEST_BODY : null;
    }

    void drive() {
      int end = processors.length * 2;
      while (position < end) {
        Stage stage = stageAt(position);
        if (stage == null) {
          position++;
          continue;
        }
        if (closed) {
          result.complete(new ChainOutcome.Fail(new GatewayError.Internal("exchange closed")));
          return;
        }
        int i = position >> 1;
        ConfiguredProcessor p = processors[i];
        flags[i] |= RAN;
        long start = System.nanoTime();
        CompletionStage<Verdict> pending;
        try {
          Processor.ExchangeState state = state(i);
          pending = switch (stage) {
            case REQUEST_HEADERS -> p.processor().onRequestHeaders(request, state);
            case REQUEST_BODY -> p.processor().onRequestBody(request, state);
            default -> p.processor().onResponseHeaders(request, response, state);
          };
        } catch (RuntimeException e) {
          if (!handle(stage, null, e, false, start)) {
            return;
          }
          position++;
          continue;
        }
        if (pending instanceof CompletableFuture<Verdict> future && future.isDone()) {
          Verdict verdict = null;
          Throwable failure = null;
          try {
            verdict = future.getNow(null);
          } catch (CompletionException | CancellationException e) {
            failure = unwrap(e);
          }
          if (!handle(stage, verdict, failure, false, start)) {
            return;
          }
          position++;
          continue;
        }
        if (pending == null) {
          if (!handle(stage, null, null, false, start)) {
            return;
          }
          position++;
          continue;
        }
        new Await<>(this, start).await(pending, p.timeout());
        return;
      }
      result.complete(ChainOutcome.PROCEED);
    }

    @Override
    public void resume(Verdict verdict, Throwable failure, boolean timedOut, long startNanos) {
      if (closed) {
        result.complete(new ChainOutcome.Fail(new GatewayError.Internal("exchange closed")));
        return;
      }
      if (handle(stageAt(position), verdict, failure, timedOut, startNanos)) {
        position++;
        drive();
      }
    }

    /** Reports the stage; returns true to go on with the next one, false when the pass is decided. */
    private boolean handle(Stage stage, Verdict verdict, Throwable failure, boolean timedOut, long startNanos) {
      ConfiguredProcessor p = processors[position >> 1];
      long nanos = System.nanoTime() - startNanos;
      if (!timedOut && failure == null && verdict == null) {
        failure = new ProcessorException("returned no verdict");
      }
      if (verdict instanceof Verdict.EditThenContinue edit && !timedOut && failure == null) {
        try {
          edit.edits().run();
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (timedOut || failure != null) {
        Outcome outcome = failureOutcome(p, timedOut);
        GatewayError error = failureError(p, failure, timedOut);
        observer.processed(chain.name(), p.name(), stage, outcome, nanos);
        if (p.failureMode() == FailureMode.FailOpen) {
          return true;
        }
        result.complete(new ChainOutcome.Fail(error));
        return false;
      }
      return switch (verdict) {
        case Verdict.Continue c -> {
          observer.processed(chain.name(), p.name(), stage, Outcome.CONTINUED, nanos);
          yield true;
        }
        case Verdict.EditThenContinue c -> {
          observer.processed(chain.name(), p.name(), stage, Outcome.CONTINUED, nanos);
          yield true;
        }
        case Verdict.Refuse refuse -> {
          observer.processed(chain.name(), p.name(), stage, Outcome.RESPONDED, nanos);
          result.complete(new ChainOutcome.Fail(refuse.error(), refuse.headers()));
          yield false;
        }
        case Verdict.Immediate r -> {
          observer.processed(chain.name(), p.name(), stage, Outcome.RESPONDED, nanos);
          result.complete(new ChainOutcome.Respond(r));
          yield false;
        }
      };
    }
  }

  /** Drives one response chunk, and what processors emit from it, through the body processors. */
  private final class ChunkRun implements Resumable<ChunkVerdict> {
    final ProcessedRequest request;
    final ProcessedResponse response;
    final CompletableFuture<ChunkOutcome> result = new CompletableFuture<>();
    List<byte[]> out;
    int current;
    ResponseChunk input;

    ChunkRun(ProcessedRequest request, ProcessedResponse response) {
      this.request = request;
      this.response = response;
    }

    void drive() {
      while (true) {
        int j = deepestPending();
        if (j < 0) {
          result.complete(new ChunkOutcome.Write(out == null ? List.of() : out));
          return;
        }
        if (closed) {
          endWith(EMPTY);
          return;
        }
        current = j;
        input = queues[j].poll();
        ConfiguredProcessor p = processors[j];
        flags[j] |= RAN;
        long start = System.nanoTime();
        CompletionStage<ChunkVerdict> pending;
        try {
          pending = p.processor().onResponseChunk(request, response, input, state(j));
        } catch (RuntimeException e) {
          if (!handle(null, e, false, start)) {
            return;
          }
          continue;
        }
        if (pending instanceof CompletableFuture<ChunkVerdict> future && future.isDone()) {
          ChunkVerdict verdict = null;
          Throwable failure = null;
          try {
            verdict = future.getNow(null);
          } catch (CompletionException | CancellationException e) {
            failure = unwrap(e);
          }
          if (!handle(verdict, failure, false, start)) {
            return;
          }
          continue;
        }
        if (pending == null) {
          if (!handle(null, null, false, start)) {
            return;
          }
          continue;
        }
        new Await<>(this, start).await(pending, p.timeout());
        return;
      }
    }

    @Override
    public void resume(ChunkVerdict verdict, Throwable failure, boolean timedOut, long startNanos) {
      if (closed) {
        endWith(EMPTY);
        return;
      }
      if (handle(verdict, failure, timedOut, startNanos)) {
        drive();
      }
    }

    /** Deepest first, so a chunk reaches the end of the chain before the next one starts. */
    private int deepestPending() {
      for (int i = queues.length - 1; i >= 0; i--) {
        if (queues[i] != null && !queues[i].isEmpty()) {
          return i;
        }
      }
      return -1;
    }

    private boolean handle(ChunkVerdict verdict, Throwable failure, boolean timedOut, long startNanos) {
      int j = current;
      ConfiguredProcessor p = processors[j];
      long nanos = System.nanoTime() - startNanos;
      if (!timedOut && failure == null && verdict == null) {
        failure = new ProcessorException("returned no verdict");
      }
      if (timedOut || failure != null) {
        return fail(j, failure, timedOut, nanos, false);
      }
      switch (verdict) {
        case ChunkVerdict.End end -> {
          observer.processed(chain.name(), p.name(), Stage.RESPONSE_CHUNK, Outcome.ENDED_STREAM, nanos);
          endWith(end.finalBytes() == null ? EMPTY : end.finalBytes(), end.error());
          return false;
        }
        case ChunkVerdict.Emit emit -> {
          List<byte[]> chunks = emit.chunks() == null ? List.of() : emit.chunks();
          if (!chunks.isEmpty()) {
            if (held[j] != null) {
              held[j].clear();
            }
            forward(j, chunks);
          } else if (input.endOfStream()) {
            flushHeld(j);
          } else {
            if (held[j] == null) {
              held[j] = new ArrayList<>(Math.max(1, needs[j].holdBackEvents()));
            }
            held[j].add(input.bytes());
            int limit = needs[j].holdBackEvents();
            if (held[j].size() > limit) {
              return fail(j, new ProcessorException(
                  "held " + held[j].size() + " response chunks; its limit is " + limit), false, nanos, true);
            }
          }
          observer.processed(chain.name(), p.name(), Stage.RESPONSE_CHUNK, Outcome.CONTINUED, nanos);
          return true;
        }
      }
    }

    /**
     * FailOpen: what the processor held, then the input (unless already among the held), go on as
     * received and the processor is skipped for the rest of the stream. FailClosed: the stream ends
     * with an error.
     */
    private boolean fail(int j, Throwable failure, boolean timedOut, long nanos, boolean inputHeld) {
      ConfiguredProcessor p = processors[j];
      GatewayError error = failureError(p, failure, timedOut);
      observer.processed(chain.name(), p.name(), Stage.RESPONSE_CHUNK, failureOutcome(p, timedOut), nanos);
      if (p.failureMode() == FailureMode.FailOpen) {
        flags[j] |= SKIPPED_FOR_STREAM;
        List<byte[]> release = held[j] == null ? new ArrayList<>(1) : new ArrayList<>(held[j]);
        if (held[j] != null) {
          held[j].clear();
        }
        if (!inputHeld) {
          release.add(input.bytes());
        }
        // Chunks queued for it while it ran go on too (they were not given to it).
        ArrayDeque<ResponseChunk> queued = queues[j];
        if (release.size() == 1 && release.get(0) == input.bytes() && queued.isEmpty()) {
          push(j, input);
        } else {
          forward(j, release);
          while (!queued.isEmpty()) {
            push(j, queued.poll());
          }
        }
        return true;
      }
      // In the caller's format: the context knows the client API (an Anthropic client gets an Anthropic error event).
      ErrorRenderer errors = request.context().errors();
      endWith(input.sseEvent() ? errors.streamEvent(error) : errors.body(error), error);
      return false;
    }

    private void flushHeld(int j) {
      List<byte[]> release = held[j] == null || held[j].isEmpty() ? List.of() : new ArrayList<>(held[j]);
      if (held[j] != null) {
        held[j].clear();
      }
      if (release.isEmpty()) {
        forward(j, List.of(input.bytes()));
      } else {
        release.add(input.bytes());
        forward(j, release);
      }
    }

    /**
     * Hands what processor j emitted for the current input on: the input's end-of-stream mark goes
     * with the last chunk (or an empty one when nothing was emitted).
     */
    private void forward(int j, List<byte[]> chunks) {
      ResponseChunk in = input;
      if (chunks.size() == 1 && chunks.get(0) == in.bytes()) {
        push(j, in);
        return;
      }
      int last = chunks.size() - 1;
      for (int k = 0; k <= last; k++) {
        push(j, new ResponseChunk(chunks.get(k), in.sseEvent(), in.endOfStream() && k == last));
      }
      if (chunks.isEmpty() && in.endOfStream()) {
        push(j, new ResponseChunk(EMPTY, in.sseEvent(), true));
      }
    }

    private void push(int j, ResponseChunk chunk) {
      int next = nextBodyProcessor(j);
      if (next >= 0) {
        queues[next].add(chunk);
      } else if (chunk.bytes().length > 0) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(chunk.bytes());
      }
    }

    private void endWith(byte[] finalBytes) {
      endWith(finalBytes, null);
    }

    private void endWith(byte[] finalBytes, GatewayError error) {
      streamEnded = true;
      for (int i = 0; i < queues.length; i++) {
        if (queues[i] != null) {
          queues[i].clear();
        }
        if (held[i] != null) {
          held[i].clear();
        }
      }
      byte[] all = finalBytes;
      if (out != null && !out.isEmpty()) {
        var bytes = new ByteArrayOutputStream();
        out.forEach(bytes::writeBytes);
        bytes.writeBytes(finalBytes);
        all = bytes.toByteArray();
      }
      result.complete(new ChunkOutcome.End(all, error));
    }
  }
}
