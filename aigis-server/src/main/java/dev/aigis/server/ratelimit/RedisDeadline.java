package dev.aigis.server.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One Redis call under a store's timeout, for the stores that share Redis (rate-limit counters,
 * the response cache): the call fails with a {@link TimeoutException} naming the store and the
 * operation once the time is up, and is told so, so work not yet sent can be dropped.
 */
public final class RedisDeadline {

  private RedisDeadline() {}

  /**
   * @param store how the timeout message names the store, such as {@code the Redis cache store at host:6379}
   * @param body runs the call; its argument says whether the time has run out
   */
  public static <T> Future<T> within(Vertx vertx, long timeoutMillis, String store, String operation,
      Function<BooleanSupplier, Future<T>> body) {
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, id -> promise.tryFail(new TimeoutException(
        store + " did not answer " + operation + " within " + timeoutMillis + " ms")));
    Future<T> result;
    try {
      result = body.apply(() -> promise.future().isComplete());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(outcome -> {
      vertx.cancelTimer(timer);
      if (outcome.succeeded()) {
        promise.tryComplete(outcome.result());
      } else {
        promise.tryFail(outcome.cause());
      }
    });
    return promise.future();
  }
}
