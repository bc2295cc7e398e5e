package dev.aigis.server.cache;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link LocalIndex} in step with a cache's stream, on a connection of its own.
 *
 * <p>One loop: {@code XREAD COUNT 1000 BLOCK 5000 STREAMS <log> <last id>}. From id {@code 0-0} it
 * returns whole pages at once (the catch-up after a start), then it blocks for new puts (this
 * replica's own among them: they are indexed when they come back, like everyone else's). Each page
 * is applied on the follower's own thread (index inserts are CPU work, never on the event loop)
 * before the next read is sent, so a slow replica reads as fast as it can index.
 *
 * <p>Continuity: pipelined before each read, {@code XRANGE <last id> <last id>} checks that the last
 * entry applied is still in the stream. When it is gone, the stream's epoch tells why (put.lua). Trimmed past
 * this replica (it fell more than {@code maxEntries} behind a burst of puts): what it missed was
 * evicted, hashes and all, so it reads on from what is left (an overrun, counted). Another stream
 * (Redis restarted empty, a failover to a replica that lagged, the stream expired with its last
 * entry): the local index is cleared and the stream read again from its start (a rebuild, counted).
 *
 * <p>Failures: a broken connection, a refused connect or a read unanswered for the block time plus
 * the store's timeout (at least a second) closes the connection and reconnects after a backoff (100 ms doubling to 5
 * s), resuming from the last id applied. The first failure after a healthy period is logged once as a
 * warning, the recovery once as info; the endpoint is named, the password never.
 */
final class StreamFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamFollower.class);

  static final int PAGE = 1_000;
  static final long BLOCK_MILLIS = 5_000;
  static final long MIN_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 5_000;
  static final long SWEEP_MILLIS = 10_000;
  static final long MIN_TIMEOUT_MILLIS = 1_000;

  /** One announced put, as read from the stream; the vector is still base64. */
  private record Announced(
      StreamId streamId, String id, String exactKey, String partition, String vector, long expiresAt, String epoch) {}

  private record Waiter(BooleanSupplier condition, CompletableFuture<Void> done) {}

  private final Vertx vertx;
  private final Context context;
  private final Supplier<Redis> clients;
  private Redis client; // event loop only, after construction
  private final String stream;
  private final String epochKey;
  private final LocalIndex local;
  private final InstantSource clock;
  private final long timeoutMillis;
  private final long blockMillis;
  private final String label;
  private final ExecutorService applier;
  private final long sweepTimer;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rebuilds = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();

  private volatile boolean closed;
  private volatile boolean healthy = true;
  private volatile boolean behind = true;
  private volatile StreamId lastId = StreamId.ZERO;
  private RedisConnection connection; // event loop only
  private long backoffMillis = MIN_BACKOFF_MILLIS; // event loop only
  /** A last id known to be trimmed away by an overrun: its absence is no reason to inspect again. */
  private volatile StreamId overrunAt;
  /** The lineage of the last entry applied (see put.lua). */
  private volatile String epoch;

  /**
   * @param clients makes a client of its own (its one connection blocks in {@code XREAD}); a client
   *     whose connection stopped answering is closed and replaced, since a pooled connection closed
   *     by its user only goes back to its pool
   * @param label names the cache and endpoint in logs and thread names
   */
  StreamFollower(
      Vertx vertx, Supplier<Redis> clients, CacheKeys keys, LocalIndex local, InstantSource clock, long timeoutMillis,
      long blockMillis, String label, String threadName) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.clients = clients;
    this.client = clients.get();
    this.stream = keys.stream();
    this.epochKey = keys.epoch();
    this.local = local;
    this.clock = clock;
    // at least a second: the follower is not on a request's path, and a loaded replica that misses a
    // 100 ms lookup budget should not also drop and re-open its stream connection
    this.timeoutMillis = Math.max(MIN_TIMEOUT_MILLIS, timeoutMillis);
    this.blockMillis = blockMillis;
    this.label = label;
    this.applier = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(threadName).factory());
    this.sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> onApplier(() -> local.sweep(clock.millis())));
    context.runOnContext(v -> connect());
  }

  /** Completes once the stream has been read to its end for the first time. */
  CompletionStage<Void> caughtUp() {
    return caughtUp.copy();
  }

  /** Completes once every stream entry up to {@code streamId} has been applied here. */
  CompletionStage<Void> whenApplied(StreamId streamId) {
    return when(() -> lastId.compareTo(streamId) >= 0);
  }

  /** Completes once {@code condition} holds; checked now, after each page applied and after each failure. */
  CompletionStage<Void> when(BooleanSupplier condition) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (waiters) {
      if (condition.getAsBoolean()) {
        return CompletableFuture.completedFuture(null);
      }
      waiters.add(new Waiter(condition, done));
    }
    return done;
  }

  /** Stream entries applied since the store opened (rebuilds read some again). */
  long applied() {
    return applied.get();
  }

  /** Times the local index was cleared and rebuilt because the stream was not the one it followed. */
  long rebuilds() {
    return rebuilds.get();
  }

  /** Times this replica fell so far behind that the stream was trimmed past its last id (it read on). */
  long overruns() {
    return overruns.get();
  }

  /** Whether the follower's connection answers (false from a failure until a read succeeds again). */
  boolean healthy() {
    return healthy;
  }

  /** Whether the last read returned a full page (more is waiting) or has not happened yet. */
  boolean behind() {
    return behind;
  }

  StreamId lastId() {
    return lastId;
  }

  /**
   * Stops following; {@code then} (closing the index) runs on the follower's thread once the page
   * being applied, if any, is done, so the index is never closed under an insert.
   */
  void close(Runnable then) {
    closed = true;
    try {
      applier.execute(then);
    } catch (RejectedExecutionException e) {
      then.run(); // closed before
    }
    close();
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    context.runOnContext(v -> {
      if (connection != null) {
        connection.close();
        connection = null;
      }
      client.close();
    });
    applier.shutdown();
    IllegalStateException stopped = new IllegalStateException("the cache store " + label + " was closed");
    caughtUp.completeExceptionally(stopped);
    synchronized (waiters) {
      waiters.forEach(waiter -> waiter.done().completeExceptionally(stopped));
      waiters.clear();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    // the client's handshake (HELLO, AUTH, SELECT) has no timeout of its own: a server that accepts
    // and never answers would hold the follower until the idle timeout
    AtomicBoolean settled = new AtomicBoolean();
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (settled.compareAndSet(false, true)) {
        failed(new TimeoutException("the Redis cache store " + label + " did not accept a connection within "
            + timeoutMillis + " ms"));
      }
    });
    client.connect().onComplete(outcome -> {
      vertx.cancelTimer(timer);
      if (!settled.compareAndSet(false, true)) {
        if (outcome.succeeded()) {
          outcome.result().close();
        }
      } else if (outcome.failed()) {
        failed(outcome.cause());
      } else if (closed) {
        outcome.result().close();
      } else {
        connection = outcome.result();
        read();
      }
    });
  }

  private void read() {
    if (closed || connection == null) {
      return;
    }
    RedisConnection reading = connection;
    StreamId from = lastId;
    List<Request> requests = new ArrayList<>(2);
    if (!from.isZero()) {
      requests.add(Request.cmd(Command.XRANGE).arg(stream).arg(from.toString()).arg(from.toString()));
    }
    requests.add(Request.cmd(Command.XREAD).arg("COUNT").arg(PAGE).arg("BLOCK").arg(blockMillis)
        .arg("STREAMS").arg(stream).arg(from.toString()));
    AtomicBoolean settled = new AtomicBoolean();
    long timer = vertx.setTimer(blockMillis + timeoutMillis, id -> {
      if (settled.compareAndSet(false, true)) {
        failed(new TimeoutException("the Redis cache store " + label + " did not answer XREAD within "
            + (blockMillis + timeoutMillis) + " ms"));
      }
    });
    reading.batch(requests).onComplete(outcome -> {
      vertx.cancelTimer(timer);
      if (!settled.compareAndSet(false, true)) {
        return; // timed out already; the connection is gone
      }
      if (outcome.failed()) {
        failed(outcome.cause());
        return;
      }
      recovered();
      List<Response> replies = outcome.result();
      if (!from.isZero() && !from.equals(overrunAt) && empty(replies.get(0))) {
        inspect(reading, from);
        return;
      }
      List<Announced> page;
      try {
        page = parse(replies.get(replies.size() - 1));
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      onApplier(() -> apply(page));
    });
  }

  /**
   * The last entry applied is gone from the stream: was it trimmed (this replica fell more than
   * {@code maxEntries} behind; what it missed was evicted with it, so reading on is right), or is
   * this another stream (rebuild)? The same epoch and a newest id at or past ours say trimmed.
   */
  private void inspect(RedisConnection reading, StreamId from) {
    AtomicBoolean settled = new AtomicBoolean();
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (settled.compareAndSet(false, true)) {
        failed(new TimeoutException("the Redis cache store " + label + " did not answer the epoch check within " + timeoutMillis + " ms"));
      }
    });
    // XREVRANGE, not XINFO STREAM: it answers an empty list, not an error, for a stream that is gone
    reading.batch(List.of(Request.cmd(Command.GET).arg(epochKey),
        Request.cmd(Command.XREVRANGE).arg(stream).arg("+").arg("-").arg("COUNT").arg(1))).onComplete(outcome -> {
      vertx.cancelTimer(timer);
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      if (outcome.failed()) {
        failed(outcome.cause());
        return;
      }
      Response current = outcome.result().get(0);
      Response newest = outcome.result().get(1);
      boolean sameStream = current != null && current.toString().equals(epoch)
          && !empty(newest) && StreamId.parse(newest.get(0).get(0).toString()).compareTo(from) > 0;
      if (sameStream) {
        overruns.incrementAndGet();
        overrunAt = from;
        LOG.debug("cache store {} fell more than its maxEntries behind the stream; reading on from what is left", label);
        read();
      } else {
        onApplier(this::rebuild);
      }
    });
  }

  private void apply(List<Announced> page) {
    long now = clock.millis();
    for (Announced announced : page) {
      if (closed) {
        return;
      }
      float[] vector;
      try {
        vector = EntryCodec.vector(announced.vector());
      } catch (IllegalArgumentException e) {
        vector = null; // not written by a store: counted, never indexed
      }
      local.apply(announced.id(), announced.exactKey(), announced.partition(), vector, announced.expiresAt(), now);
      lastId = announced.streamId();
      epoch = announced.epoch();
    }
    applied.addAndGet(page.size());
    behind = page.size() >= PAGE;
    if (!behind) {
      caughtUp.complete(null);
    }
    release();
    context.runOnContext(v -> read());
  }

  private void rebuild() {
    local.clear();
    lastId = StreamId.ZERO;
    behind = true;
    rebuilds.incrementAndGet();
    LOG.info("cache store {}: the stream no longer holds the last entry this replica applied; rebuilding the local index from its start", label);
    context.runOnContext(v -> read());
  }

  private void release() {
    synchronized (waiters) {
      waiters.removeIf(waiter -> {
        if (waiter.condition().getAsBoolean()) {
          waiter.done().complete(null);
          return true;
        }
        return false;
      });
    }
  }

  private void failed(Throwable cause) {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    if (closed) {
      return;
    }
    if (cause instanceof TimeoutException) {
      // the connection may still be open with a read outstanding: drop it with its client
      client.close();
      client = clients.get();
    }
    if (healthy) {
      healthy = false;
      LOG.warn("cache store {} cannot follow its Redis stream ({}); retrying, lookups fail until Redis answers",
          label, cause.toString());
    } else {
      LOG.debug("cache store {} still cannot follow its Redis stream", label, cause);
    }
    release();
    long delay = backoffMillis;
    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    vertx.setTimer(delay, id -> connect());
  }

  private void recovered() {
    backoffMillis = MIN_BACKOFF_MILLIS;
    if (!healthy) {
      healthy = true;
      LOG.info("cache store {} follows its Redis stream again from {}", label, lastId);
    }
  }

  private void onApplier(Runnable task) {
    try {
      applier.execute(() -> {
        if (closed) {
          return;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          if (closed) {
            return;
          }
          LOG.error("cache store {}: applying the stream failed; reading it again from its start", label, e);
          lastId = StreamId.ZERO;
          local.clear();
          context.runOnContext(v -> read());
        }
      });
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private static boolean empty(Response reply) {
    return reply == null || reply.size() == 0;
  }

  /** XREAD's reply: null when the block ended empty; a map by stream name (RESP3) or an array of [name, entries] (RESP2). */
  private List<Announced> parse(Response reply) {
    if (reply == null || reply.size() == 0) {
      return List.of();
    }
    Response entries = reply.isMap() ? reply.get(stream) : reply.get(0).get(1);
    if (entries == null) {
      return List.of();
    }
    List<Announced> page = new ArrayList<>(entries.size());
    for (Response entry : entries) {
      StreamId streamId = StreamId.parse(entry.get(0).toString());
      Response fields = entry.get(1);
      String id = null;
      String exactKey = null;
      String partition = null;
      String vector = null;
      String epoch = null;
      long expiresAt = 0;
      for (int i = 0; fields != null && i + 1 < fields.size(); i += 2) {
        String value = fields.get(i + 1).toString();
        switch (fields.get(i).toString()) {
          case "i" -> id = value;
          case "k" -> exactKey = value;
          case "p" -> partition = value;
          case "v" -> vector = value;
          case "e" -> expiresAt = Long.parseLong(value);
          case "g" -> epoch = value;
          default -> { } // a field a later version added
        }
      }
      if (id == null || exactKey == null || partition == null) {
        // not a put this store understands: skip it, but move past it
        page.add(new Announced(streamId, "", "", "", null, 0, epoch));
      } else {
        page.add(new Announced(streamId, id, exactKey, partition, vector, expiresAt, epoch));
      }
    }
    return page;
  }
}
