package dev.aigis.server.cache;

import dev.aigis.server.ratelimit.RedisDeadline;
import dev.aigis.server.ratelimit.RedisScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One cache store's calls on the shared pooled client, each bounded by the store's timeout with a
 * Vert.x timer (the client has none): past it the call fails with a {@link TimeoutException} naming
 * the endpoint and the operation, never the password. A call still waiting for a pooled connection
 * when its time is up is never sent.
 */
final class RedisCalls {

  private final Vertx vertx;
  private final Redis redis;
  private final long timeoutMillis;
  private final String endpoint;

  RedisCalls(Vertx vertx, Redis redis, long timeoutMillis, String endpoint) {
    this.vertx = vertx;
    this.redis = redis;
    this.timeoutMillis = timeoutMillis;
    this.endpoint = endpoint;
  }

  Future<Response> send(String operation, Request request) {
    return timed(operation, expired -> send(request, expired));
  }

  /** {@code EVALSHA}, and {@code EVAL} once when Redis no longer knows the script (after a restart). */
  Future<Response> eval(String operation, RedisScript script, List<String> keys, List<String> args) {
    return timed(operation, expired -> send(script(Command.EVALSHA, script.sha1(), keys, args), expired)
        .recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
            ? send(script(Command.EVAL, script.source(), keys, args), expired)
            : Future.failedFuture(failure)));
  }

  /**
   * Runs {@code body} under the timeout; {@code body} is told whether the time has run out, so work
   * not yet sent (the next candidate of a semantic lookup) is dropped.
   */
  <T> Future<T> timed(String operation, Function<BooleanSupplier, Future<T>> body) {
    return RedisDeadline.within(vertx, timeoutMillis, "the Redis cache store at " + endpoint, operation, body);
  }

  /** Sends on a pooled connection, unless the call's time ran out while it waited for one. */
  Future<Response> send(Request request, BooleanSupplier expired) {
    return redis.connect().compose(connection -> {
      if (expired.getAsBoolean()) {
        connection.close();
        return Future.failedFuture("the call timed out before it was sent");
      }
      return connection.send(request).eventually(connection::close);
    });
  }

  private static Request script(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }
}
