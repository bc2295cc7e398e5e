package dev.aigis.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Skips or fails (see {@link RequiresRedis}) before a class or method whose Redis is missing. */
public final class RequiresRedisExtension implements BeforeAllCallback, BeforeEachCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    check(context.getElement());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(context.getElement());
  }

  private static void check(Optional<AnnotatedElement> element) {
    element.flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresRedis.class)).ifPresent(needs -> {
      if (needs.shared() && !LocalRedis.answering()) {
        missing("no Redis answers at " + LocalRedis.uri() + " (set AIGIS_REDIS_URL to use another)");
      }
      if (needs.executable() && RedisServerProcess.executable() == null) {
        missing("no redis-server executable (on the PATH, or AIGIS_REDIS_SERVER)");
      }
    });
  }

  private static void missing(String what) {
    if (LocalRedis.required()) {
      Assertions.fail(what + ", and " + LocalRedis.REQUIRE_ENV + "=1 requires it");
    }
    Assumptions.abort(what + "; skipped (" + LocalRedis.REQUIRE_ENV + "=1 makes this a failure)");
  }
}
