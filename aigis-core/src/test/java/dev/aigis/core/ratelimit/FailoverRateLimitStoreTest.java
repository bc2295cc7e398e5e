package dev.aigis.core.ratelimit;

import static dev.aigis.model.RateLimitPolicy.StoreFailureMode.FailClosed;
import static dev.aigis.model.RateLimitPolicy.StoreFailureMode.FailOpen;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.RateLimitPolicy.StoreFailureMode;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailoverRateLimitStoreTest {

  /** A primary whose calls the test completes; calls it has not been told about complete from the memory store. */
  static final class Primary implements RateLimitStore {
    final MemoryRateLimitStore counts;
    final Deque<CompletableFuture<Admission>> held = new ArrayDeque<>();
    volatile Throwable failure;
    volatile boolean hold;
    int calls;
    boolean closed;

    Primary(TestClock clock) {
      counts = new MemoryRateLimitStore(clock);
    }

    @Override
    public synchronized CompletionStage<Admission> admit(List<Charge> charges) {
      calls++;
      if (hold) {
        var call = new CompletableFuture<Admission>();
        held.add(call);
        return call;
      }
      return failure != null ? CompletableFuture.failedFuture(failure) : counts.admit(charges);
    }

    @Override
    public synchronized CompletionStage<Void> adjust(List<Charge> deltas) {
      calls++;
      return failure != null ? CompletableFuture.failedFuture(failure) : counts.adjust(deltas);
    }

    @Override
    public synchronized CompletionStage<List<BucketState>> snapshot() {
      calls++;
      return failure != null ? CompletableFuture.failedFuture(failure) : counts.snapshot();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class Recording implements FailoverRateLimitStore.Listener {
    final List<Boolean> transitions = new ArrayList<>();
    int fallbacks;
    int failures;

    @Override
    public synchronized void onTransition(boolean healthy) {
      transitions.add(healthy);
    }

    @Override
    public synchronized void onFallback() {
      fallbacks++;
    }

    @Override
    public synchronized void onPrimaryFailure(Throwable cause) {
      failures++;
    }
  }

  final TestClock clock = new TestClock("2025-03-04T10:11:12Z");
  final Primary primary = new Primary(clock);
  final MemoryRateLimitStore fallback = new MemoryRateLimitStore(clock);
  final Recording listener = new Recording();

  FailoverRateLimitStore store(StoreFailureMode mode) {
    return new FailoverRateLimitStore(primary, fallback, mode, listener, Duration.ofSeconds(1), clock);
  }

  List<Charge> request(long limit) {
    return List.of(new Charge("b", limit, 1, Window.of(Minute, 1, clock.instant())));
  }

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void failOpenServesFromTheFallbackAndReportsEachTransitionOnce() throws Exception {
    var store = store(FailOpen);
    assertThat(get(store.admit(request(100))).admitted()).isTrue();
    assertThat(listener.transitions).isEmpty();

    primary.failure = new ConnectException("refused");
    for (int i = 0; i < 5; i++) {
      assertThat(get(store.admit(request(100))).admitted()).isTrue();
    }
    assertThat(listener.transitions).containsExactly(false);
    assertThat(listener.fallbacks).isEqualTo(5);
    assertThat(primary.calls).as("one failed call, then no probe within the interval").isEqualTo(2);
    assertThat(get(fallback.snapshot()).getFirst().used()).isEqualTo(5);
    assertThat(store.healthy()).isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThat(get(store.admit(request(100))).admitted()).isTrue();
    assertThat(primary.calls).as("the probe").isEqualTo(3);
    assertThat(listener.transitions).containsExactly(false);

    primary.failure = null;
    assertThat(get(store.admit(request(100))).admitted()).as("still within the probe interval").isTrue();
    assertThat(primary.calls).isEqualTo(3);
    clock.advance(Duration.ofSeconds(1));
    get(store.admit(request(100)));
    get(store.admit(request(100)));
    assertThat(primary.calls).isEqualTo(5);
    assertThat(listener.transitions).containsExactly(false, true);
    assertThat(listener.fallbacks).isEqualTo(7);
    assertThat(get(primary.counts.snapshot()).getFirst().used()).isEqualTo(3);
    assertThat(store.healthy()).isTrue();
  }

  @Test
  void failClosedFailsWithStoreUnavailableUntilTheProbeSucceeds() throws Exception {
    var store = store(FailClosed);
    var down = new TimeoutException("no answer within 100 ms");
    primary.failure = down;
    assertThatThrownBy(() -> get(store.admit(request(100))))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(StoreUnavailable.class).hasCause(down);
    assertThatThrownBy(() -> get(store.adjust(request(100)))).cause().isInstanceOf(StoreUnavailable.class);
    assertThatThrownBy(() -> get(store.snapshot())).cause().isInstanceOf(StoreUnavailable.class);
    assertThat(primary.calls).isEqualTo(1);
    assertThat(listener.fallbacks).isZero();

    primary.failure = null;
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(store.admit(request(100))).admitted()).isTrue();
    assertThat(listener.transitions).containsExactly(false, true);
    assertThat(get(fallback.snapshot())).isEmpty();
  }

  @Test
  void aStaleAnswerDoesNotFlipTheState() throws Exception {
    var store = store(FailOpen);
    primary.hold = true;
    CompletionStage<Admission> early = store.admit(request(100));   // call 1, started while healthy
    primary.hold = false;
    primary.failure = new ConnectException("refused");
    get(store.admit(request(100)));                                  // call 2 fails: unhealthy
    assertThat(listener.transitions).containsExactly(false);

    primary.held.removeFirst().complete(new Admission(true, List.of()));
    assertThat(get(early).admitted()).isTrue();
    assertThat(listener.transitions).as("call 1 is older than the failure that decided").containsExactly(false);
    assertThat(store.healthy()).isFalse();
  }

  @Test
  void aLateFailureOfAnOldCallDoesNotMarkAHealthyPrimaryDown() throws Exception {
    var store = store(FailOpen);
    primary.hold = true;
    CompletionStage<Admission> early = store.admit(request(100));
    primary.hold = false;
    get(store.admit(request(100)));
    primary.held.removeFirst().completeExceptionally(new TimeoutException("late"));
    assertThat(get(early).admitted()).as("served by the fallback").isTrue();
    assertThat(listener.transitions).isEmpty();
    assertThat(listener.fallbacks).isEqualTo(1);
    assertThat(store.healthy()).isTrue();
  }

  @Test
  void invalidInputIsPassedOnAndSaysNothingAboutHealth() {
    var store = store(FailClosed);
    var negative = List.of(new Charge("b", 10, -1, Window.of(Minute, 1, clock.instant())));
    assertThatThrownBy(() -> get(store.admit(negative))).cause().isInstanceOf(IllegalArgumentException.class);
    assertThat(store.healthy()).isTrue();
    assertThat(listener.transitions).isEmpty();
    assertThat(listener.failures).isZero();
  }

  @Test
  void aZeroProbeIntervalTriesThePrimaryEveryTime() throws Exception {
    var store = new FailoverRateLimitStore(primary, fallback, FailOpen, listener, Duration.ZERO, clock);
    primary.failure = new ConnectException("refused");
    for (int i = 0; i < 3; i++) {
      get(store.admit(request(100)));
    }
    assertThat(primary.calls).isEqualTo(3);
    assertThat(listener.failures).isEqualTo(3);
    assertThat(listener.transitions).containsExactly(false);
  }

  @Test
  void aThrowingListenerDoesNotBreakCalls() throws Exception {
    var store = new FailoverRateLimitStore(primary, fallback, FailOpen, new FailoverRateLimitStore.Listener() {
      @Override
      public void onTransition(boolean healthy) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onFallback() {
        throw new IllegalStateException("listener bug");
      }
    }, Duration.ofSeconds(1), clock);
    primary.failure = new ConnectException("refused");
    assertThat(get(store.admit(request(100))).admitted()).isTrue();
  }

  @Test
  void closeClosesBoth() {
    store(FailOpen).close();
    assertThat(primary.closed).isTrue();
    assertThatThrownBy(() -> get(fallback.snapshot())).cause().isInstanceOf(IllegalStateException.class);
  }
}
