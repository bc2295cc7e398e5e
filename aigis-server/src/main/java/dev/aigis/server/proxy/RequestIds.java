package dev.aigis.server.proxy;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Cheap unique request ids: a random per-process prefix and a counter (no UUID on the hot path). */
final class RequestIds {

  private static final String PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "-";
  private static final AtomicLong COUNTER = new AtomicLong();

  private RequestIds() {}

  static String next() {
    return PREFIX + Long.toHexString(COUNTER.incrementAndGet());
  }
}
