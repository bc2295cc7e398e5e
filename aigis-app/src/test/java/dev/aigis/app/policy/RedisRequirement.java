package dev.aigis.app.policy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/** Redis-backed tests need a Redis on 127.0.0.1:6379; with {@code AIGIS_REQUIRE_REDIS=1} (CI) its absence fails them. */
final class RedisRequirement {

  private RedisRequirement() {}

  static void assumeRedis() {
    boolean up;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
      up = true;
    } catch (IOException e) {
      up = false;
    }
    if (!up && "1".equals(System.getenv("AIGIS_REQUIRE_REDIS"))) {
      throw new AssertionError("Redis is required (AIGIS_REQUIRE_REDIS=1) but none answers on 127.0.0.1:6379");
    }
    Assumptions.assumeTrue(up, "no Redis on 127.0.0.1:6379");
  }
}
