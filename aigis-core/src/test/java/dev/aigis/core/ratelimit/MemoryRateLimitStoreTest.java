package dev.aigis.core.ratelimit;

import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Minute;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Month;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What only the memory store has: striped locking under contention, window sweeping and its cap.
 * The semantics it shares with the Redis store are the contract test in aigis-testkit, run over both
 * stores by aigis-server.
 */
class MemoryRateLimitStoreTest {

  final TestClock clock = new TestClock("2025-03-04T10:11:12Z");
  final MemoryRateLimitStore store = new MemoryRateLimitStore(clock);

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  Charge charge(String bucket, long limit, long cost) {
    return new Charge(bucket, limit, cost, Window.of(Minute, 1, clock.instant()));
  }

  @Test
  void sixtyFourThreadsOnOneRequestBucketGetExactlyTheLimit() throws Exception {
    int threads = 64;
    int attemptsEach = 50;
    long admitted = hammer(threads, () -> {
      long mine = 0;
      for (int i = 0; i < attemptsEach; i++) {
        if (get(store.admit(List.of(charge("hot", 1000, 1)))).admitted()) {
          mine++;
        }
      }
      return mine;
    });
    assertThat(admitted).isEqualTo(1000);
    assertThat(get(store.snapshot())).singleElement().satisfies(s -> assertThat(s.used()).isEqualTo(1000));
  }

  @Test
  void tokenChargesNeverExceedTheLimitPlusTheLargestCost() throws Exception {
    long limit = 10_000;
    int maxCost = 100;
    AtomicLong admittedCost = new AtomicLong();
    hammer(64, () -> {
      for (int i = 0; i < 40; i++) {
        int cost = ThreadLocalRandom.current().nextInt(10, maxCost + 1);
        if (get(store.admit(List.of(charge("tokens", limit, cost)))).admitted()) {
          admittedCost.addAndGet(cost);
        }
      }
      return 0L;
    });
    long used = get(store.snapshot()).getFirst().used();
    assertThat(used).isEqualTo(admittedCost.get()).isGreaterThanOrEqualTo(limit).isLessThan(limit + maxCost);
  }

  @Test
  void multiBucketAdmissionsStayAtomicUnderContention() throws Exception {
    // Every admission charges a shared bucket (limit 500) and one of 8 per-key buckets (limit 100):
    // whatever the interleaving, the shared count equals the sum of the per-key counts.
    hammer(32, () -> {
      for (int i = 0; i < 40; i++) {
        String key = "key-" + ThreadLocalRandom.current().nextInt(8);
        get(store.admit(List.of(charge("shared", 500, 1), charge(key, 100, 1))));
      }
      return 0L;
    });
    List<BucketState> states = get(store.snapshot());
    long shared = states.stream().filter(s -> s.bucket().equals("shared")).findFirst().orElseThrow().used();
    long perKey = states.stream().filter(s -> !s.bucket().equals("shared")).mapToLong(BucketState::used).sum();
    assertThat(shared).isEqualTo(perKey).isLessThanOrEqualTo(500);
    assertThat(states).allSatisfy(s -> assertThat(s.used()).isLessThanOrEqualTo(s.limit()));
  }

  @Test
  void theNextWindowStartsFromZero() throws Exception {
    Charge first = charge("b", 2, 1);
    assertThat(get(store.admit(List.of(first))).admitted()).isTrue();
    assertThat(get(store.admit(List.of(first))).admitted()).isTrue();
    assertThat(get(store.admit(List.of(first))).admitted()).isFalse();

    clock.set("2025-03-04T10:12:00Z");
    Admission next = get(store.admit(List.of(charge("b", 2, 1))));
    assertThat(next.admitted()).isTrue();
    assertThat(next.buckets().getFirst().used()).isEqualTo(1);
    assertThat(next.buckets().getFirst().resetAt()).isEqualTo("2025-03-04T10:13:00Z");
  }

  @Test
  void monthBudgetsRollOverAtTheCalendarMonth() throws Exception {
    clock.set("2025-12-31T23:59:59Z");
    Charge december = new Charge("usd", 100, 100, Window.of(Month, 1, clock.instant()));
    assertThat(get(store.admit(List.of(december))).admitted()).isTrue();
    assertThat(get(store.admit(List.of(december))).buckets().getFirst().resetAt()).isEqualTo("2026-01-01T00:00:00Z");

    clock.set("2026-01-01T00:00:00Z");
    Charge january = new Charge("usd", 100, 1, Window.of(Month, 1, clock.instant()));
    assertThat(get(store.admit(List.of(january))).admitted()).isTrue();

    clock.set("2026-02-28T23:59:59Z");
    Window february = Window.of(Month, 1, clock.instant());
    assertThat(february.end()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(get(store.admit(List.of(new Charge("usd", 100, 1, february)))).buckets().getFirst().used()).isEqualTo(1);
  }

  @Test
  void endedWindowsAreSwept() throws Exception {
    for (int i = 0; i < 100; i++) {
      get(store.admit(List.of(charge("b" + i, 10, 1))));
    }
    assertThat(store.size()).isEqualTo(100);
    clock.advance(Duration.ofMinutes(1));
    assertThat(get(store.snapshot())).isEmpty();
    get(store.admit(List.of(charge("new", 10, 1))));
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void pastTheCapNewBucketsFailAndOldOnesKeepWorking() throws Exception {
    try (var small = new MemoryRateLimitStore(clock, 3)) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(small.admit(List.of(charge("b" + i, 10, 1)))).admitted()).isTrue();
      }
      assertThatThrownBy(() -> get(small.admit(List.of(charge("b3", 10, 1)))))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("cap");
      assertThat(get(small.admit(List.of(charge("b0", 10, 1)))).admitted()).isTrue();
      // all or nothing: a refused new bucket does not count the old one either
      assertThatThrownBy(() -> get(small.admit(List.of(charge("b1", 10, 1), charge("b4", 10, 1)))));
      assertThat(get(small.snapshot())).filteredOn(s -> s.bucket().equals("b1"))
          .singleElement().satisfies(s -> assertThat(s.used()).isEqualTo(1));
      // refusals create nothing, so an exhausted bucket is still answered
      assertThat(get(small.admit(List.of(new Charge("b2", 0, 1, charge("b2", 0, 1).window())))).admitted()).isFalse();

      clock.advance(Duration.ofMinutes(1));
      assertThat(get(small.admit(List.of(charge("b3", 10, 1)))).admitted()).isTrue();
      assertThat(small.size()).isEqualTo(1);
    }
  }

  @Test
  void aClosedStoreFails() {
    store.close();
    assertThatThrownBy(() -> get(store.admit(List.of(charge("b", 1, 1)))))
        .cause().isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> get(store.snapshot())).cause().isInstanceOf(IllegalStateException.class);
  }

  interface Work {
    long run() throws Exception;
  }

  /** Runs {@code work} on {@code threads} platform threads released together; sums their results. */
  static long hammer(int threads, Work work) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (var pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Long>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          go.await();
          return work.run();
        }));
      }
      go.countDown();
      long sum = 0;
      for (Future<Long> result : results) {
        sum += result.get(60, TimeUnit.SECONDS);
      }
      return sum;
    }
  }
}
