package dev.aigis.server.ratelimit;

import dev.aigis.core.ratelimit.Admission;
import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.core.ratelimit.Charge;
import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.core.ratelimit.Window;
import dev.aigis.model.policy.RateLimitStoreSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Counters in Redis, shared by every replica: the algorithm of {@link RateLimitStore}, made atomic
 * across replicas by running each admission as one Lua script.
 *
 * <h2>Keys</h2>
 *
 * One hash per bucket and window, {@code <keyPrefix>:<base64url(bucket)>:<startEpochSecond>:<endEpochSecond>}
 * (see {@link BucketKeys}), with fields {@code used} and {@code limit} (of the latest counted charge).
 * Each write sets the key's TTL to the window's end plus {@value #GRACE_SECONDS} s, so Redis drops
 * ended windows by itself; the grace keeps a counter alive for a replica whose clock runs a little
 * behind. The TTL is sent as a duration ({@code PEXPIRE}), computed from this store's clock, rather
 * than as an instant ({@code PEXPIREAT}): a duration does not depend on Redis's clock agreeing with
 * the gateway's, and a test clock set anywhere in time still gets keys that live as long as their
 * window.
 *
 * <h2>Scripts</h2>
 *
 * {@code admit.lua} reads every charge's {@code used}; if none is at or over its limit it {@code
 * HINCRBY}s them all, sets {@code limit} and the TTL, and returns {@code [admitted, used...]}. Redis
 * runs a script alone, so the check and the increments are one atomic step across all replicas.
 * {@code adjust.lua} adds deltas, clamping at 0. Both are sent as {@code EVALSHA} with the SHA-1
 * computed here, and as {@code EVAL} once when Redis answers {@code NOSCRIPT} (after a restart).
 * Windows and TTLs come from the injected clock as arguments; Redis's {@code TIME} is never used.
 * Counts are exact up to 2<sup>53</sup> (Lua numbers are doubles).
 *
 * <h2>Connections and time</h2>
 *
 * The Vert.x Redis client keeps a pool of up to {@value #POOL_SIZE} connections ({@value
 * #POOL_WAITING} calls may wait for one; past that a call fails at once); a broken connection leaves
 * the pool and the next call connects anew, so calls succeed again as soon as a restarted Redis
 * accepts connections. Every call is bounded by the spec's timeout with a Vert.x timer (the client
 * has none of its own) and fails with a {@link TimeoutException} naming the endpoint and operation
 * when it passes. A call still waiting for a pooled connection when its time is up is never sent;
 * one already sent cannot be recalled and may still be counted by Redis after it timed out (counting
 * too much, never too little). A connection with no traffic for {@value #IDLE_SECONDS} s is closed,
 * which also frees the pool from a server that accepted connections but stopped answering.
 *
 * <p>Stages complete on a Vert.x event loop: the caller's when it calls from one.
 *
 * <p>Not supported: Redis Cluster (an admission's keys would need one hash slot) and TLS options
 * beyond what the {@code rediss://} URL gives the client.
 */
public final class RedisRateLimitStore implements RateLimitStore {

  static final long GRACE_SECONDS = 5;
  static final int POOL_SIZE = 16;
  static final int POOL_WAITING = 1024;
  static final int IDLE_SECONDS = 30;
  private static final int SCAN_COUNT = 1000;
  private static final RedisScript ADMIT = RedisScript.load("admit.lua");
  private static final RedisScript ADJUST = RedisScript.load("adjust.lua");

  private final Vertx vertx;
  private final Redis redis;
  private final BucketKeys keys;
  private final InstantSource clock;
  private final long timeoutMillis;
  private final String endpoint;

  /**
   * @param spec a Redis store ({@code redisUrl} set); its timeout bounds every call
   * @param password authenticates to Redis (the spec's Secret, resolved by the caller), or null
   * @param keyPrefix starts every key, e.g. {@code aigis:rl:<namespace>/<policy>}; not empty
   */
  public RedisRateLimitStore(
      Vertx vertx, RateLimitStoreSpec spec, String password, String keyPrefix, InstantSource clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(spec, "spec");
    if (spec.inMemory()) {
      throw new IllegalArgumentException("the store spec has no redisUrl");
    }
    if (keyPrefix == null || keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("a Redis rate-limit store needs a key prefix");
    }
    URI url = spec.redisUrl();
    this.endpoint = url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
    this.keys = new BucketKeys(keyPrefix);
    this.timeoutMillis = Math.max(1, spec.timeout().toMillis());
    RedisOptions options = new RedisOptions()
        .setConnectionString(url.toString())
        .setMaxPoolSize(POOL_SIZE)
        .setMaxPoolWaiting(POOL_WAITING)
        .setNetClientOptions(new NetClientOptions()
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)
            // at least a second: a slow connect is left to finish for the next call rather than retried
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1_000, timeoutMillis)))
            .setIdleTimeout(IDLE_SECONDS));
    if (password != null) {
      options.setPassword(password);
    }
    this.redis = Redis.createClient(vertx, options);
  }

  @Override
  public CompletionStage<Admission> admit(List<Charge> charges) {
    for (Charge charge : charges) {
      if (charge.cost() < 0) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(
            "an admission cost must not be negative, got " + charge.cost() + " for " + charge.bucket()));
      }
    }
    if (charges.isEmpty()) {
      return CompletableFuture.completedFuture(new Admission(true, List.of()));
    }
    Instant now = clock.instant();
    List<String> keyList = new ArrayList<>(charges.size());
    List<String> args = new ArrayList<>(charges.size() * 3);
    for (Charge charge : charges) {
      addCharge(charge, now, keyList, args);
    }
    return timed("admit", expired -> eval(ADMIT, keyList, args, expired))
        .map(reply -> {
          List<BucketState> states = new ArrayList<>(charges.size());
          for (int i = 0; i < charges.size(); i++) {
            Charge charge = charges.get(i);
            states.add(new BucketState(charge.bucket(), charge.limit(), reply.get(i + 1).toLong(), charge.window()));
          }
          return new Admission(reply.get(0).toInteger() == 1, states);
        })
        .toCompletionStage();
  }

  @Override
  public CompletionStage<Void> adjust(List<Charge> deltas) {
    Instant now = clock.instant();
    List<String> keyList = new ArrayList<>(deltas.size());
    List<String> args = new ArrayList<>(deltas.size() * 3);
    for (Charge delta : deltas) {
      if (delta.cost() != 0 && !delta.window().endedBy(now)) {
        addCharge(delta, now, keyList, args);
      }
    }
    if (keyList.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return timed("adjust", expired -> eval(ADJUST, keyList, args, expired)).<Void>mapEmpty().toCompletionStage();
  }

  /** Every counter under the prefix whose window has not ended: {@code SCAN}, each page bounded by the timeout. */
  @Override
  public CompletionStage<List<BucketState>> snapshot() {
    Instant now = clock.instant();
    List<BucketState> states = new ArrayList<>(); // each page is added after the previous one completed
    return scan("0", now, states).map(done -> states).toCompletionStage();
  }

  @Override
  public void close() {
    redis.close();
  }

  private void addCharge(Charge charge, Instant now, List<String> keyList, List<String> args) {
    keyList.add(keys.key(charge.bucket(), charge.window()));
    args.add(Long.toString(charge.limit()));
    args.add(Long.toString(charge.cost()));
    long ttl = Duration.between(now, charge.window().end()).toMillis() + GRACE_SECONDS * 1_000;
    args.add(Long.toString(Math.max(1, ttl)));
  }

  private Future<Void> scan(String cursor, Instant now, List<BucketState> into) {
    Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(keys.pattern()).arg("COUNT").arg(SCAN_COUNT);
    return timed("SCAN", expired -> send(scan, expired)).compose(page -> {
      String next = page.get(0).toString();
      List<BucketKeys.Parsed> parsed = new ArrayList<>();
      List<Request> reads = new ArrayList<>();
      for (Response key : page.get(1)) {
        BucketKeys.Parsed counter = keys.parse(key.toString());
        if (counter != null && !counter.window().endedBy(now)) {
          parsed.add(counter);
          reads.add(Request.cmd(Command.HMGET).arg(key.toString()).arg("used").arg("limit"));
        }
      }
      Future<Void> read = reads.isEmpty() ? Future.succeededFuture() : timed("HMGET", expired -> batch(reads, expired))
          .map(replies -> {
            for (int i = 0; i < replies.size(); i++) {
              Response fields = replies.get(i);
              if (fields != null && fields.get(0) != null && fields.get(1) != null) {
                BucketKeys.Parsed counter = parsed.get(i);
                into.add(new BucketState(counter.bucket(), fields.get(1).toLong(), fields.get(0).toLong(), counter.window()));
              }
            }
            return null;
          });
      return read.compose(done -> next.equals("0") ? Future.succeededFuture() : scan(next, now, into));
    });
  }

  private Future<Response> eval(RedisScript script, List<String> keyList, List<String> args, BooleanSupplier expired) {
    return send(scriptCall(Command.EVALSHA, script.sha1(), keyList, args), expired)
        .recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
            ? send(scriptCall(Command.EVAL, script.source(), keyList, args), expired)
            : Future.failedFuture(failure));
  }

  private static Request scriptCall(Command command, String script, List<String> keyList, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keyList.size());
    keyList.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  /** Sends on a pooled connection, unless the call's time ran out while it waited for one. */
  private Future<Response> send(Request request, BooleanSupplier expired) {
    return redis.connect().compose(connection -> {
      if (expired.getAsBoolean()) {
        connection.close();
        return Future.failedFuture("the call timed out before it was sent");
      }
      return connection.send(request).eventually(connection::close);
    });
  }

  private Future<List<Response>> batch(List<Request> requests, BooleanSupplier expired) {
    return redis.connect().compose(connection -> {
      if (expired.getAsBoolean()) {
        connection.close();
        return Future.failedFuture("the call timed out before it was sent");
      }
      return connection.batch(requests).eventually(connection::close);
    });
  }

  /**
   * Runs {@code body} under the timeout; {@code body} is told (through the supplier) whether the
   * time has run out, so work not yet sent can be dropped.
   */
  private <T> Future<T> timed(String operation, Function<BooleanSupplier, Future<T>> body) {
    return RedisDeadline.within(vertx, timeoutMillis, "the Redis rate-limit store at " + endpoint, operation, body);
  }
}
