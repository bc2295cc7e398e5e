package dev.aigis.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs Redis: the shared {@link LocalRedis}, and with {@code
 * executable = true} also the {@code redis-server} program (for a {@link RedisServerProcess}). When
 * what it needs is missing the test is skipped, or fails when {@code AIGIS_REQUIRE_REDIS=1} (as in
 * CI), so a CI run without Redis cannot pass by skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRedisExtension.class)
public @interface RequiresRedis {

  /** Needs the shared Redis of {@link LocalRedis}. */
  boolean shared() default true;

  /** Needs the {@code redis-server} executable, to start a private server. */
  boolean executable() default false;
}
