package dev.aigis.core.identity;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs a key source's failures on transitions only: the first failure after a success (or at
 * start), and the first success after failures. A broken issuer then costs one log line, not one
 * per request.
 */
final class FetchHealth {

  private static final Logger LOG = System.getLogger(JwksSource.class.getName());

  private final String what;
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile Throwable lastFailure;

  FetchHealth(String what) {
    this.what = what;
  }

  void failed(Throwable cause, boolean keepingOldKeys) {
    lastFailure = cause;
    if (failing.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "Loading JWKS from " + what + " failed"
          + (keepingOldKeys ? "; keeping the keys loaded before" : "; tokens it signs are rejected until it loads")
          + ": " + cause);
    }
  }

  void succeeded() {
    if (failing.compareAndSet(true, false)) {
      LOG.log(Level.INFO, "Loading JWKS from " + what + " works again");
    }
  }

  JwksUnavailableException unavailable() {
    return new JwksUnavailableException("no JWKS loaded from " + what, lastFailure);
  }
}
