package dev.aigis.server.ratelimit;

import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Minute;
import static dev.aigis.server.ratelimit.RedisTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.ratelimit.Admission;
import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.core.ratelimit.Charge;
import dev.aigis.core.ratelimit.Window;
import dev.aigis.testkit.LocalRedis;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.RequiresRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What is particular to Redis: the key layout, and two replicas (two clients, two pools) sharing counters. */
@RequiresRedis
class RedisRateLimitStoreTest {

  static Vertx vertx;
  final URI redis = LocalRedis.uri();
  final ManualClock clock = ManualClock.at("2031-05-06T07:08:09Z");
  final String prefix = RedisTestSupport.uniquePrefix();
  final List<RedisRateLimitStore> stores = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @AfterEach
  void cleanUp() throws Exception {
    stores.forEach(RedisRateLimitStore::close);
    RedisTestSupport.deleteKeys(vertx, redis, prefix);
  }

  RedisRateLimitStore replica() {
    var store = new RedisRateLimitStore(vertx, RedisTestSupport.spec(redis), null, prefix, clock);
    stores.add(store);
    return store;
  }

  Charge charge(String bucket, long limit, long cost) {
    return new Charge(bucket, limit, cost, Window.of(Minute, 1, clock.instant()));
  }

  @Test
  void aCounterIsAHashUnderTheBucketAndWindowWithATtlOfTheWindowPlusGrace() throws Exception {
    await(replica().admit(List.of(charge("policy/rule:key ✓", 10, 3))));
    String encoded = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("policy/rule:key ✓".getBytes(StandardCharsets.UTF_8));
    long start = Window.of(Minute, 1, clock.instant()).start().getEpochSecond();
    String key = prefix + ":" + encoded + ":" + start + ":" + (start + 60);
    assertThat(RedisTestSupport.keys(vertx, redis, prefix)).containsExactly(key);

    Response fields = RedisTestSupport.command(vertx, redis, Command.HGETALL, key);
    assertThat(fields.get("used").toLong()).isEqualTo(3);
    assertThat(fields.get("limit").toLong()).isEqualTo(10);
    // 07:08:09 → the window ends at 07:09:00, 51 s away, plus 5 s of grace, counted from the store's clock
    long ttl = RedisTestSupport.command(vertx, redis, Command.PTTL, key).toLong();
    assertThat(ttl).isBetween(56_000L - 5_000, 56_000L);
  }

  @Test
  void twoReplicasAdmitExactlyTheRequestLimitBetweenThem() throws Exception {
    var one = replica();
    var two = replica();
    List<CompletableFuture<Admission>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      CompletionStage<Admission> call = (i % 2 == 0 ? one : two).admit(List.of(charge("requests", 100, 1)));
      calls.add(call.toCompletableFuture());
    }
    long admitted = 0;
    for (CompletableFuture<Admission> call : calls) {
      admitted += call.get(30, TimeUnit.SECONDS).admitted() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(100);
    assertThat(await(one.snapshot())).singleElement()
        .satisfies(s -> assertThat(s.used()).isEqualTo(100));
  }

  @Test
  void twoReplicasNeverCountMoreTokensThanTheLimitPlusOneRequest() throws Exception {
    var one = replica();
    var two = replica();
    Random random = new Random(42);
    long limit = 5_000;
    int maxCost = 100;
    List<CompletableFuture<Admission>> calls = new ArrayList<>();
    long[] costs = new long[300];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = 10 + random.nextInt(maxCost - 10 + 1);
      // each request also charges the shared request bucket: both counted or neither
      var charges = List.of(charge("tokens", limit, costs[i]), charge("requests", 1_000, 1));
      calls.add((i % 2 == 0 ? one : two).admit(charges).toCompletableFuture());
    }
    long admittedCost = 0;
    long admittedRequests = 0;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).get(30, TimeUnit.SECONDS).admitted()) {
        admittedCost += costs[i];
        admittedRequests++;
      }
    }
    List<BucketState> states = await(two.snapshot());
    long tokens = states.stream().filter(s -> s.bucket().equals("tokens")).findFirst().orElseThrow().used();
    long requests = states.stream().filter(s -> s.bucket().equals("requests")).findFirst().orElseThrow().used();
    assertThat(tokens).isEqualTo(admittedCost).isGreaterThanOrEqualTo(limit).isLessThan(limit + maxCost);
    assertThat(requests).isEqualTo(admittedRequests);
  }

  @Test
  void aSnapshotWalksEveryScanPage() throws Exception {
    var store = replica();
    for (int batch = 0; batch < 3; batch++) {
      List<Charge> charges = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        charges.add(charge("key-" + batch + "-" + i, 10, 1));
      }
      assertThat(await(store.admit(charges)).admitted()).isTrue();
    }
    assertThat(await(store.snapshot())).hasSize(3_000)
        .allSatisfy(s -> assertThat(s.used()).isEqualTo(1));
  }
}
