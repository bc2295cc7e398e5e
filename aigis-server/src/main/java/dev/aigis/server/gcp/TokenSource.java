package dev.aigis.server.gcp;

import io.vertx.core.Future;

/**
 * An OAuth access token for upstream calls, fetched asynchronously and cached by the source.
 * Thread-safe; never blocks the calling event loop. The returned future may complete on another
 * thread: callers hop back to their own context.
 */
public interface TokenSource {

  /** A token valid for a while yet; fails with {@link TokenException} when none can be had. */
  Future<String> token();

  /** The token endpoint refused or failed; the message has its status and OAuth error, never secrets. */
  final class TokenException extends RuntimeException {
    public TokenException(String message) {
      super(message, null, false, false);
    }
  }
}
