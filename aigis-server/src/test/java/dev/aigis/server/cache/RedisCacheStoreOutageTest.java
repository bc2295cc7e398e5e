package dev.aigis.server.cache;

import static dev.aigis.server.cache.RedisResponseCacheStoreTest.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.cache.CacheEntry;
import dev.aigis.core.cache.SharedStoreSettings;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.RedisServerProcess;
import dev.aigis.testkit.RequiresRedis;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redis refusing, stalling, wanting a password and restarting: private servers only, never the shared one. */
@RequiresRedis(shared = false, executable = true)
class RedisCacheStoreOutageTest {

  static final String PASSWORD = "s3cr3t-Pa55";

  static Vertx vertx;
  final ManualClock clock = ManualClock.at("2031-05-06T07:08:09Z");
  final String cacheName = "test/outage-" + UUID.randomUUID() + "/entry";
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close().toCompletionStage());
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable closeable : closing.reversed()) {
      closeable.close();
    }
  }

  @Test
  void aClosedPortFailsLookupsAndPutsAndTheFollowerSaysSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisResponseCacheStore store = open(URI.create("redis://127.0.0.1:" + port), null, Duration.ofSeconds(2));

    assertThatThrownBy(() -> await(store.exact("q1", clock.millis())))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> await(store.put(entry("q1"))))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectException.class);
    await(store.follower().when(() -> !store.stats().following()));
    assertThat(await(store.nearest("p1", unit(1, 0, 0), 0.9, clock.millis())))
        .as("nothing indexed: a miss without asking Redis").isNull();
  }

  @Test
  void aSilentRedisTimesOutNamingTheEndpointAndOperationButNotThePassword() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
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
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      RedisResponseCacheStore store = open(URI.create("redis://127.0.0.1:" + silent.getLocalPort()), PASSWORD,
          Duration.ofMillis(200));

      assertThatThrownBy(() -> await(store.exact("q1", clock.millis())))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("127.0.0.1:" + silent.getLocalPort())
          .hasMessageContaining("HGET").hasMessageContaining("200 ms")
          .hasMessageNotContaining(PASSWORD);
      assertThatThrownBy(() -> await(store.put(entry("q1"))))
          .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("put");
      await(store.follower().when(() -> !store.stats().following()));
      assertThat(store.toString()).doesNotContain(PASSWORD);
      for (Socket socket : accepted) {
        socket.close();
      }
    } finally {
      System.setErr(err);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("cannot follow its Redis stream").doesNotContain(PASSWORD);
  }

  @Test
  void aPasswordProtectedRedisServesEntries() throws Exception {
    RedisServerProcess server = RedisServerProcess.start("--requirepass", PASSWORD);
    closing.add(server);
    RedisResponseCacheStore store = open(server.uri(), PASSWORD, Duration.ofSeconds(10));
    CacheEntry entry = entry("q1");
    await(store.put(entry));
    await(store.synced());
    assertThat(await(store.exact("q1", clock.millis())).id()).isEqualTo(entry.id());
    assertThat(await(store.nearest("p1", unit(1, 0, 0), 0.9, clock.millis())).entry().id()).isEqualTo(entry.id());
  }

  @Test
  void afterRedisRestartsEmptyTheFollowerReconnectsAndRebuilds() throws Exception {
    RedisServerProcess server = RedisServerProcess.start();
    closing.add(server);
    RedisResponseCacheStore writer = open(server.uri(), null, Duration.ofSeconds(10));
    RedisResponseCacheStore reader = open(server.uri(), null, Duration.ofSeconds(10));
    await(writer.put(entry("q1")));
    await(reader.synced());
    assertThat(reader.size()).isEqualTo(1);

    server.restart(); // no persistence: it comes back empty
    await(reader.follower().when(() -> reader.stats().rebuilds() == 1 && reader.stats().following()));
    assertThat(reader.size()).as("what the old stream announced is gone").isZero();

    CacheEntry after = entry("q2");
    await(putRetryingOnce(writer, after));
    await(reader.synced());
    assertThat(reader.size()).isEqualTo(1);
    assertThat(await(reader.nearest("p1", unit(1, 0, 0), 0.9, clock.millis())).entry().id()).isEqualTo(after.id());
  }

  @Test
  void aFollowerWhoseRedisStallsGivesUpOnTheConnectionAndFollowsAgainAfterwards() throws Exception {
    RedisServerProcess server = RedisServerProcess.start("--enable-debug-command", "yes");
    closing.add(server);
    RedisResponseCacheStore writer = open(server.uri(), null, Duration.ofSeconds(10));
    RedisResponseCacheStore reader = open(server.uri(), null, Duration.ofMillis(300));
    await(reader.caughtUp());
    io.vertx.redis.client.Redis admin = io.vertx.redis.client.Redis.createClient(vertx, server.uri().toString());
    try {
      var stall = admin.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEBUG, "SLEEP", "2"));
      await(reader.follower().when(() -> !reader.stats().following()));
      await(stall.toCompletionStage());
    } finally {
      admin.close();
    }

    CacheEntry after = entry("q1");
    StreamId written = await(writer.write(after).toCompletionStage());
    await(reader.follower().whenApplied(written));
    assertThat(reader.stats().following()).isTrue();
    assertThat(reader.size()).isEqualTo(1);
  }

  /** A pooled connection the restart broke may fail one call before the pool notices; the next connects anew. */
  static CompletionStage<Void> putRetryingOnce(RedisResponseCacheStore store, CacheEntry entry) {
    return store.put(entry).exceptionallyCompose(failure -> store.put(entry));
  }

  RedisResponseCacheStore open(URI url, String password, Duration timeout) {
    RedisCacheStoreFactory factory = new RedisCacheStoreFactory(vertx, clock, 200);
    closing.add(factory);
    return factory.openRedis(new SharedStoreSettings(url, password, timeout, cacheName, 100, BruteForceIndex::new));
  }

  CacheEntry entry(String exactKey) {
    long now = clock.millis();
    return new CacheEntry(UUID.randomUUID().toString(), exactKey, "p1", unit(1, 0, 0), "{}", now, now + 300_000);
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
