package dev.aigis.core.ratelimit;

/**
 * A rate-limit store could not answer and the policy fails closed: the caller answers 503. The
 * cause is the store's own failure (a timeout, a refused connection, a Redis error), or absent when
 * the store was already known to be down and the call was refused without trying it.
 */
public final class StoreUnavailable extends RuntimeException {

  public StoreUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
