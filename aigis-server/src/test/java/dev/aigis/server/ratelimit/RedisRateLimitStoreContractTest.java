package dev.aigis.server.ratelimit;

import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.testkit.LocalRedis;
import dev.aigis.testkit.RateLimitStoreContract;
import dev.aigis.testkit.RequiresRedis;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on the shared Redis, each test under a key prefix of its own. */
@RequiresRedis
class RedisRateLimitStoreContractTest extends RateLimitStoreContract {

  static Vertx vertx;
  String prefix;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    RedisTestSupport.await(vertx.close());
  }

  @Override
  protected RateLimitStore newStore(InstantSource clock) {
    prefix = RedisTestSupport.uniquePrefix();
    return new RedisRateLimitStore(vertx, RedisTestSupport.spec(LocalRedis.uri()), null, prefix, clock);
  }

  @AfterEach
  void deleteKeys() throws Exception {
    RedisTestSupport.deleteKeys(vertx, LocalRedis.uri(), prefix);
  }
}
