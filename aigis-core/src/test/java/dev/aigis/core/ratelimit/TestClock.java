package dev.aigis.core.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves. */
final class TestClock implements InstantSource {

  private volatile Instant now;

  TestClock(String now) {
    this.now = Instant.parse(now);
  }

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration by) {
    now = now.plus(by);
  }

  void set(String instant) {
    now = Instant.parse(instant);
  }
}
