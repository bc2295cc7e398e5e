package dev.aigis.core.identity;

/** No key set could be loaded from a {@link JwksSource} yet; the cause, if any, is the last failure. */
public final class JwksUnavailableException extends RuntimeException {

  JwksUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
