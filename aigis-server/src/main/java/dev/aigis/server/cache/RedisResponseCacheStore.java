package dev.aigis.server.cache;

import dev.aigis.core.cache.CacheEntry;
import dev.aigis.core.cache.ResponseCacheStore;
import dev.aigis.core.cache.SemanticMatch;
import dev.aigis.server.ratelimit.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A response cache in Redis, shared by every replica; each replica searches a local vector index
 * that a {@link StreamFollower} keeps in step with the cache's stream. docs/semantic-parts/redis-store.md
 * describes the keys, the sync and the failure behaviour.
 *
 * <ul>
 *   <li>{@link #put} runs {@code put.lua}: the entry hash (with a TTL of the entry's remaining life,
 *       from this store's clock), the stream entry, the eviction of the oldest entries past {@code
 *       maxEntries}, in one atomic step.
 *   <li>{@link #exact} is one {@code HGET} of the entry's JSON.
 *   <li>{@link #nearest} searches the local index on the caller's thread (a worker: it is CPU work),
 *       then reads the best live candidates from Redis in turn; one Redis no longer has is dropped
 *       from the index and the next one is read.
 * </ul>
 *
 * <p>Each lookup and put is bounded by the settings' timeout (all of a semantic lookup's reads
 * together) and fails with the cause when Redis is down or slower: the processor then treats it as
 * a miss or applies its failure mode. Stages complete on a Vert.x event loop.
 */
public final class RedisResponseCacheStore implements ResponseCacheStore {

  /** Candidates read from Redis for one semantic lookup, at most. */
  static final int CANDIDATES = 4;
  private static final RedisScript PUT = RedisScript.load(RedisResponseCacheStore.class, "put.lua");

  private final RedisCalls calls;
  private final CacheKeys keys;
  private final LocalIndex local;
  private final StreamFollower follower;
  private final InstantSource clock;
  private final long maxEntries;
  private final String label;
  private final Consumer<RedisResponseCacheStore> onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  RedisResponseCacheStore(
      RedisCalls calls, CacheKeys keys, LocalIndex local, StreamFollower follower, InstantSource clock,
      long maxEntries, String label, Consumer<RedisResponseCacheStore> onClose) {
    this.calls = calls;
    this.keys = keys;
    this.local = local;
    this.follower = follower;
    this.clock = clock;
    this.maxEntries = maxEntries;
    this.label = label;
    this.onClose = onClose;
  }

  @Override
  public CompletionStage<CacheEntry> exact(String exactKey, long nowMillis) {
    return calls.send("HGET", entryRequest(exactKey))
        .map(reply -> live(reply, nowMillis))
        .toCompletionStage();
  }

  @Override
  public CompletionStage<SemanticMatch> nearest(String partition, float[] vector, double minSimilarity, long nowMillis) {
    List<LocalIndex.Candidate> candidates;
    try {
      candidates = local.candidates(partition, vector, minSimilarity, CANDIDATES, nowMillis);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (candidates.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return calls.timed("HGET (semantic)", expired -> first(candidates, 0, nowMillis, expired)).toCompletionStage();
  }

  @Override
  public CompletionStage<Void> put(CacheEntry entry) {
    return write(entry).<Void>mapEmpty().toCompletionStage();
  }

  /** Stores {@code entry}; the stream id of its announcement, or null when it had expired already. */
  Future<StreamId> write(CacheEntry entry) {
    long ttl = entry.expiresAtMillis() - clock.millis();
    if (ttl <= 0) {
      return Future.succeededFuture(null); // nothing to serve: not worth a round trip
    }
    String vector = EntryCodec.vector(entry.vector());
    List<String> args = List.of(entry.id(), EntryCodec.encode(entry), Long.toString(ttl), Long.toString(maxEntries),
        entry.exactKey(), entry.partition(), vector == null ? "" : vector, Long.toString(entry.expiresAtMillis()),
        keys.prefix(), UUID.randomUUID().toString());
    return calls.eval("put", PUT, List.of(keys.entry(entry.exactKey()), keys.stream(), keys.epoch()), args)
        .map(reply -> StreamId.parse(reply.toString()));
  }

  /** Entries in this replica's local index. */
  @Override
  public long size() {
    return local.size();
  }

  /** Completes once this replica has read the whole stream (its catch-up after opening). */
  public CompletionStage<Void> caughtUp() {
    return follower.caughtUp();
  }

  /**
   * Completes once this replica has applied every put announced so far, by any replica: asks Redis
   * for the stream's newest id and waits for the follower to pass it.
   */
  public CompletionStage<Void> synced() {
    return calls.send("XREVRANGE", Request.cmd(Command.XREVRANGE).arg(keys.stream()).arg("+").arg("-").arg("COUNT").arg(1))
        .toCompletionStage()
        .thenCompose(reply -> reply == null || reply.size() == 0
            ? follower.caughtUp()
            : follower.whenApplied(StreamId.parse(reply.get(0).get(0).toString())));
  }

  /** How this replica's follower is doing, for metrics. */
  public FollowerStats stats() {
    return new FollowerStats(follower.applied(), follower.rebuilds(), follower.overruns(), follower.healthy(),
        follower.behind(), local.size());
  }

  /**
   * @param applied stream entries applied since the store opened
   * @param rebuilds times the local index was rebuilt from the stream's start (another stream)
   * @param overruns times puts outran this replica by more than maxEntries (it read on; what it
   *     missed had been evicted)
   * @param following whether the follower's connection answers
   * @param behind whether more of the stream is waiting to be applied (catch-up, or a burst)
   * @param indexed entries in the local index
   */
  public record FollowerStats(
      long applied, long rebuilds, long overruns, boolean following, boolean behind, long indexed) {}

  /** The stream every replica of this cache follows (for tests and operators). */
  public String streamKey() {
    return keys.stream();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    follower.close(local::close);
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "RedisResponseCacheStore[" + label + "]";
  }

  StreamFollower follower() {
    return follower;
  }

  private Future<SemanticMatch> first(List<LocalIndex.Candidate> candidates, int next, long nowMillis, BooleanSupplier expired) {
    if (next == candidates.size()) {
      return Future.succeededFuture(null);
    }
    LocalIndex.Candidate candidate = candidates.get(next);
    return calls.send(entryRequest(candidate.exactKey()), expired).compose(reply -> {
      CacheEntry entry = live(reply, nowMillis);
      if (entry != null && entry.partition().equals(candidate.indexed().partition())) {
        return Future.succeededFuture(new SemanticMatch(entry, candidate.similarity()));
      }
      local.drop(candidate.exactKey(), candidate.indexed()); // expired or evicted in Redis
      return first(candidates, next + 1, nowMillis, expired);
    });
  }

  private Request entryRequest(String exactKey) {
    return Request.cmd(Command.HGET).arg(keys.entry(exactKey)).arg("entry");
  }

  private static CacheEntry live(Response reply, long nowMillis) {
    if (reply == null) {
      return null;
    }
    CacheEntry entry = EntryCodec.decode(reply.toString());
    return entry != null && entry.liveAt(nowMillis) ? entry : null;
  }
}
