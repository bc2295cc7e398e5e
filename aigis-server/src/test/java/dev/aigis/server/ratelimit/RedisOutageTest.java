package dev.aigis.server.ratelimit;

import static dev.aigis.model.RateLimitPolicy.StoreFailureMode.FailClosed;
import static dev.aigis.model.RateLimitPolicy.StoreFailureMode.FailOpen;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Minute;
import static dev.aigis.server.ratelimit.RedisTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.ratelimit.Admission;
import dev.aigis.core.ratelimit.Charge;
import dev.aigis.core.ratelimit.FailoverRateLimitStore;
import dev.aigis.core.ratelimit.MemoryRateLimitStore;
import dev.aigis.core.ratelimit.StoreUnavailable;
import dev.aigis.core.ratelimit.Window;
import dev.aigis.model.policy.RateLimitStoreSpec;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.RedisServerProcess;
import dev.aigis.testkit.RequiresRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis going away, stalling and coming back, on a private redis-server this test kills (SIGKILL)
 * and restarts on the same port; the shared Redis is never touched.
 */
@RequiresRedis(shared = false, executable = true)
class RedisOutageTest {

  static final class Recording implements FailoverRateLimitStore.Listener {
    final List<Boolean> transitions = new CopyOnWriteArrayList<>();
    final AtomicInteger fallbacks = new AtomicInteger();

    @Override
    public void onTransition(boolean healthy) {
      transitions.add(healthy);
    }

    @Override
    public void onFallback() {
      fallbacks.incrementAndGet();
    }
  }

  static Vertx vertx;
  final ManualClock clock = ManualClock.at("2031-05-06T07:08:09Z");
  final Recording listener = new Recording();
  final List<AutoCloseable> closing = new ArrayList<>();
  RedisServerProcess server;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void startServer() {
    server = RedisServerProcess.start();
    closing.add(server);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
  }

  RedisRateLimitStore store(URI url, Duration timeout, String password) {
    var store = new RedisRateLimitStore(vertx, new RateLimitStoreSpec(url, null, timeout), password,
        "aigis-test:outage", clock);
    closing.add(store);
    return store;
  }

  List<Charge> request() {
    return List.of(new Charge("requests", 1_000, 1, Window.of(Minute, 1, clock.instant())));
  }

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void failOpenKeepsAdmittingThroughAKillAndARestartWithOneTransitionEachWay() throws Exception {
    var fallback = new MemoryRateLimitStore(clock);
    var store = new FailoverRateLimitStore(store(server.uri(), Duration.ofSeconds(2), null), fallback,
        FailOpen, listener, Duration.ofSeconds(1), clock);
    assertThat(get(store.admit(request())).buckets().getFirst().used()).isEqualTo(1);

    server.stop();
    for (int i = 0; i < 5; i++) {
      assertThat(get(store.admit(request())).admitted()).isTrue();
    }
    assertThat(listener.transitions).containsExactly(false);
    assertThat(listener.fallbacks).hasValue(5);
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(store.admit(request())).admitted()).as("a probe that fails is served by the fallback").isTrue();
    assertThat(listener.transitions).containsExactly(false);
    assertThat(get(fallback.snapshot()).getFirst().used()).isEqualTo(6);

    server.restart();
    clock.advance(Duration.ofSeconds(1));
    Admission back = get(store.admit(request()));
    assertThat(back.buckets().getFirst().used()).as("counted by the restarted, empty Redis").isEqualTo(1);
    assertThat(get(store.admit(request())).buckets().getFirst().used()).isEqualTo(2);
    assertThat(listener.transitions).containsExactly(false, true);
    assertThat(listener.fallbacks).hasValue(6);
  }

  @Test
  void failClosedFailsWhileRedisIsDownAndSucceedsAfterTheRestart() throws Exception {
    var store = new FailoverRateLimitStore(store(server.uri(), Duration.ofSeconds(2), null), null,
        FailClosed, listener, Duration.ofSeconds(1), clock);
    assertThat(get(store.admit(request())).admitted()).isTrue();

    server.stop();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> get(store.admit(request())))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StoreUnavailable.class);
    }
    assertThat(listener.transitions).containsExactly(false);

    server.restart();
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(store.admit(request())).admitted()).isTrue();
    assertThat(listener.transitions).containsExactly(false, true);
    assertThat(listener.fallbacks).hasValue(0);
  }

  @Test
  void aRedisStoreRecoversByItselfAfterARestartAndReloadsItsScript() throws Exception {
    var store = store(server.uri(), Duration.ofSeconds(2), null);
    assertThat(get(store.admit(request())).admitted()).isTrue();
    server.restart();
    assertThat(get(store.admit(request())).buckets().getFirst().used()).isEqualTo(1);
    RedisTestSupport.command(vertx, server.uri(), Command.SCRIPT, "FLUSH");
    assertThat(get(store.admit(request())).buckets().getFirst().used()).isEqualTo(2);
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      var store = store(URI.create("redis://127.0.0.1:" + silent.getLocalPort()), Duration.ofMillis(200), null);
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> get(store.admit(request())))
            .isInstanceOf(ExecutionException.class).cause()
            .isInstanceOf(TimeoutException.class)
            .hasMessageContaining("127.0.0.1:" + silent.getLocalPort())
            .hasMessageContaining("admit").hasMessageContaining("200 ms");
      }
      assertThatThrownBy(() -> get(store.snapshot())).cause().isInstanceOf(TimeoutException.class);
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void aStalledRedisTimesOutAndFailsOpen() throws Exception {
    var primary = store(server.uri(), Duration.ofMillis(200), null);
    var store = new FailoverRateLimitStore(primary, new MemoryRateLimitStore(clock), FailOpen, listener,
        Duration.ofSeconds(1), clock);
    assertThat(get(store.admit(request())).admitted()).isTrue();
    // scripts (EVALSHA) wait while writes are paused; CLIENT UNPAUSE itself is not a write
    RedisTestSupport.command(vertx, server.uri(), Command.CLIENT, "PAUSE", 60_000, "WRITE");
    assertThatThrownBy(() -> get(primary.admit(request()))).cause().isInstanceOf(TimeoutException.class);
    assertThat(get(store.admit(request())).admitted()).isTrue();
    assertThat(listener.transitions).containsExactly(false);
    assertThat(listener.fallbacks).hasValue(1);

    RedisTestSupport.command(vertx, server.uri(), Command.CLIENT, "UNPAUSE");
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(store.admit(request())).admitted()).isTrue();
    assertThat(listener.transitions).containsExactly(false, true);
  }

  @Test
  void aPasswordAuthenticates() throws Exception {
    var secured = RedisServerProcess.start("--requirepass", "s3cret pass");
    closing.add(secured);
    assertThat(get(store(secured.uri(), Duration.ofSeconds(2), "s3cret pass").admit(request())).admitted()).isTrue();
    assertThatThrownBy(() -> get(store(secured.uri(), Duration.ofSeconds(2), null).admit(request())))
        .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("NOAUTH");
  }
}
