package dev.aigis.server.ratelimit;

import dev.aigis.model.policy.RateLimitStoreSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Plain Redis access for tests: what a store wrote, and cleaning it up. */
final class RedisTestSupport {

  private RedisTestSupport() {}

  static String uniquePrefix() {
    return "aigis-test:rl:" + UUID.randomUUID();
  }

  /** A spec with a timeout generous enough for a loaded two-core machine. */
  static RateLimitStoreSpec spec(URI url) {
    return new RateLimitStoreSpec(url, null, Duration.ofSeconds(10));
  }

  static <T> T await(Future<T> future) throws Exception {
    return await(future.toCompletionStage());
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** One command on a short-lived client. */
  static Response command(Vertx vertx, URI url, Command command, Object... args) throws Exception {
    Redis redis = Redis.createClient(vertx, url.toString());
    try {
      return await(redis.send(Request.cmd(command, args)));
    } finally {
      redis.close();
    }
  }

  /** Every key under {@code prefix}. */
  static List<String> keys(Vertx vertx, URI url, String prefix) throws Exception {
    return command(vertx, url, Command.KEYS, new BucketKeys(prefix).pattern()).stream()
        .map(Response::toString).toList();
  }

  static void deleteKeys(Vertx vertx, URI url, String prefix) throws Exception {
    List<String> keys = keys(vertx, url, prefix);
    if (!keys.isEmpty()) {
      command(vertx, url, Command.DEL, keys.toArray());
    }
  }
}
