package dev.aigis.testkit;

import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Day;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.aigis.core.ratelimit.Admission;
import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.core.ratelimit.Charge;
import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.core.ratelimit.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link RateLimitStore} shares, written once: a subclass per store supplies
 * {@link #newStore} (a fresh, empty store per test, on the given clock) and inherits the tests. Time
 * moves only through {@link #clock}.
 */
public abstract class RateLimitStoreContract {

  /** Ten seconds before a minute, hour and day boundary (2031-05-07T00:00:00Z). */
  protected final ManualClock clock = ManualClock.at("2031-05-06T23:59:50Z");
  protected RateLimitStore store;

  /** A new, empty store reading {@code clock}. */
  protected abstract RateLimitStore newStore(InstantSource clock);

  @BeforeEach
  void openStore() {
    store = newStore(clock);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  protected Window minute() {
    return Window.of(Minute, 1, clock.instant());
  }

  protected Charge charge(String bucket, long limit, long cost) {
    return new Charge(bucket, limit, cost, minute());
  }

  protected Admission admit(Charge... charges) throws Exception {
    return await(store.admit(List.of(charges)));
  }

  protected void adjust(Charge... deltas) throws Exception {
    await(store.adjust(List.of(deltas)));
  }

  protected long used(String bucket) throws Exception {
    return await(store.snapshot()).stream().filter(s -> s.bucket().equals(bucket))
        .mapToLong(BucketState::used).sum();
  }

  @Test
  void aRequestLimitOfNAdmitsExactlyN() throws Exception {
    for (int i = 1; i <= 3; i++) {
      Admission admission = admit(charge("requests", 3, 1));
      assertThat(admission.admitted()).isTrue();
      assertThat(admission.buckets()).singleElement().satisfies(s -> {
        assertThat(s.bucket()).isEqualTo("requests");
        assertThat(s.limit()).isEqualTo(3);
        assertThat(s.remaining()).isEqualTo(3 - s.used());
      });
      assertThat(admission.buckets().getFirst().used()).isEqualTo(i);
    }
    Admission refused = admit(charge("requests", 3, 1));
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.buckets()).singleElement().satisfies(s -> {
      assertThat(s.used()).isEqualTo(3);
      assertThat(s.remaining()).isZero();
      assertThat(s.resetAt()).isEqualTo(Instant.parse("2031-05-07T00:00:00Z"));
    });
    assertThat(refused.exhausted()).containsExactlyElementsOf(refused.buckets());
    assertThat(used("requests")).as("a refusal counts nothing").isEqualTo(3);
  }

  @Test
  void aRefusalCountsNoneOfTheCharges() throws Exception {
    assertThat(admit(charge("wide", 10, 1), charge("narrow", 1, 1)).admitted()).isTrue();
    Admission refused = admit(charge("wide", 10, 1), charge("narrow", 1, 1));
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.buckets()).extracting(BucketState::bucket, BucketState::used)
        .containsExactly(tuple("wide", 1L), tuple("narrow", 1L));
    assertThat(refused.exhausted()).extracting(BucketState::bucket).containsExactly("narrow");
    assertThat(used("wide")).isEqualTo(1);
  }

  @Test
  void theRequestThatCrossesATokenLimitIsAdmittedAndTheNextRefused() throws Exception {
    assertThat(admit(charge("tokens", 100, 90)).buckets().getFirst().used()).isEqualTo(90);
    Admission crossing = admit(charge("tokens", 100, 50));
    assertThat(crossing.admitted()).isTrue();
    assertThat(crossing.buckets().getFirst().used()).isEqualTo(140);
    assertThat(crossing.buckets().getFirst().remaining()).isZero();
    assertThat(admit(charge("tokens", 100, 1)).admitted()).isFalse();
    assertThat(admit(charge("tokens", 100, 0)).admitted()).as("cost 0 too: the bucket is exhausted").isFalse();
    assertThat(used("tokens")).isEqualTo(140);
  }

  @Test
  void aZeroLimitRefusesEverythingAndAZeroCostCountsNothing() throws Exception {
    assertThat(admit(charge("closed", 0, 1)).admitted()).isFalse();
    assertThat(admit(charge("closed", 0, 0)).admitted()).isFalse();
    Admission free = admit(charge("free", 5, 0));
    assertThat(free.admitted()).isTrue();
    assertThat(free.buckets().getFirst().used()).isZero();
  }

  @Test
  void anEmptyListIsAdmittedAndANegativeCostIsInvalid() throws Exception {
    Admission empty = await(store.admit(List.of()));
    assertThat(empty.admitted()).isTrue();
    assertThat(empty.buckets()).isEmpty();
    assertThatThrownBy(() -> admit(charge("b", 10, 1), charge("b", 10, -1)))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalArgumentException.class);
    assertThat(used("b")).isZero();
  }

  @Test
  void aBucketChargedTwiceInOneAdmissionCountsBoth() throws Exception {
    Admission admission = admit(charge("twice", 5, 1), charge("twice", 5, 2));
    assertThat(admission.admitted()).isTrue();
    assertThat(admission.buckets()).extracting(BucketState::used).containsExactly(1L, 3L);
    assertThat(used("twice")).isEqualTo(3);
  }

  @Test
  void adjustmentsAddAndSubtractButNeverGoBelowZero() throws Exception {
    admit(charge("tokens", 100, 50));
    adjust(charge("tokens", 100, 30));
    assertThat(used("tokens")).isEqualTo(80);
    adjust(charge("tokens", 100, -200));
    assertThat(used("tokens")).isZero();
    adjust(charge("tokens", 100, 120));
    assertThat(admit(charge("tokens", 100, 1)).admitted()).as("an adjustment can exhaust a bucket").isFalse();
  }

  @Test
  void aPositiveAdjustmentCreatesACounterAndANegativeOneDoesNot() throws Exception {
    adjust(charge("late", 100, 7), charge("never", 100, -7));
    assertThat(await(store.snapshot())).singleElement().satisfies(s -> {
      assertThat(s.bucket()).isEqualTo("late");
      assertThat(s.used()).isEqualTo(7);
      assertThat(s.limit()).isEqualTo(100);
    });
  }

  @Test
  void theNextWindowStartsFromZeroAndEndedWindowsDisappear() throws Exception {
    admit(charge("requests", 1, 1));
    Window first = minute();
    assertThat(admit(charge("requests", 1, 1)).admitted()).isFalse();

    clock.set("2031-05-07T00:00:00Z");
    Admission next = admit(charge("requests", 1, 1));
    assertThat(next.admitted()).isTrue();
    assertThat(next.buckets().getFirst().used()).isEqualTo(1);
    assertThat(next.buckets().getFirst().resetAt()).isEqualTo(Instant.parse("2031-05-07T00:01:00Z"));
    assertThat(await(store.snapshot())).singleElement().satisfies(s -> assertThat(s.window()).isNotEqualTo(first));
  }

  @Test
  void anAdjustmentToAnEndedWindowIsHarmless() throws Exception {
    Charge old = charge("tokens", 100, 1000);
    admit(charge("tokens", 100, 10));
    clock.advance(Duration.ofMinutes(1));
    adjust(old, new Charge("tokens", 100, -5, old.window()));
    assertThat(await(store.snapshot())).isEmpty();
    assertThat(admit(charge("tokens", 100, 10)).buckets().getFirst().used()).isEqualTo(10);
  }

  @Test
  void windowsOfDifferentLengthsAreSeparateCounters() throws Exception {
    Window minute = minute();
    Window fiveMinutes = Window.of(Minute, 5, clock.instant());
    Window day = Window.of(Day, 1, clock.instant());
    assertThat(fiveMinutes.end()).isEqualTo(minute.end());
    admit(new Charge("b", 10, 1, minute), new Charge("b", 10, 2, fiveMinutes), new Charge("b", 10, 3, day));
    assertThat(await(store.snapshot())).extracting(BucketState::window, BucketState::used)
        .containsExactlyInAnyOrder(tuple(minute, 1L),
            tuple(fiveMinutes, 2L), tuple(day, 3L));
  }

  @Test
  void aChangedLimitAppliesToTheRunningWindow() throws Exception {
    admit(charge("b", 2, 1));
    admit(charge("b", 2, 1));
    assertThat(admit(charge("b", 2, 1)).admitted()).isFalse();
    Admission raised = admit(charge("b", 5, 1));
    assertThat(raised.admitted()).isTrue();
    assertThat(raised.buckets().getFirst().remaining()).isEqualTo(2);
    assertThat(await(store.snapshot())).singleElement().satisfies(s -> assertThat(s.limit()).isEqualTo(5));
    assertThat(admit(charge("b", 1, 1)).admitted()).as("lowered below what is used").isFalse();
  }

  @Test
  void theSnapshotReportsBucketIdsVerbatim() throws Exception {
    List<String> ids = List.of(
        "policy/rule:key", "a:b:c:1234:5678", "*", "glob?[x]\\", "naïve ключ 鍵 🚦", "with\nnewline and space ",
        "x".repeat(Charge.MAX_BUCKET_LENGTH), "k");
    for (int i = 0; i < ids.size(); i++) {
      admit(charge(ids.get(i), 100 + i, i + 1));
    }
    List<BucketState> states = await(store.snapshot());
    assertThat(states).extracting(BucketState::bucket).containsExactlyInAnyOrderElementsOf(ids);
    for (BucketState state : states) {
      int i = ids.indexOf(state.bucket());
      assertThat(state.limit()).isEqualTo(100 + i);
      assertThat(state.used()).isEqualTo(i + 1);
      assertThat(state.window()).isEqualTo(minute());
    }
  }
}
