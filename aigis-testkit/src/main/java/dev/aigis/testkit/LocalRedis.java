package dev.aigis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The Redis that tests share: {@code AIGIS_REDIS_URL}, by default {@code redis://127.0.0.1:6379}
 * (CI starts one there). Tests that use it are annotated {@link RequiresRedis}; they keep their keys
 * under a prefix of their own and delete them afterwards. Tests that stop or restart Redis start
 * their own with {@link RedisServerProcess}, never this one.
 */
public final class LocalRedis {

  /** Set to {@code 1} (CI does) so that tests needing Redis fail, rather than skip, when it is missing. */
  public static final String REQUIRE_ENV = "AIGIS_REQUIRE_REDIS";

  private static volatile Boolean answering;

  private LocalRedis() {}

  public static URI uri() {
    String url = System.getenv("AIGIS_REDIS_URL");
    return URI.create(url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url);
  }

  /** Whether {@code AIGIS_REQUIRE_REDIS} asks for failures instead of skips. */
  public static boolean required() {
    String value = System.getenv(REQUIRE_ENV);
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  /** Whether the shared Redis answers a PING within a second; asked once per JVM. */
  public static boolean answering() {
    Boolean known = answering;
    if (known == null) {
      URI uri = uri();
      known = pings(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), 1_000);
      answering = known;
    }
    return known;
  }

  /**
   * Whether a Redis at {@code host:port} answers {@code PING} within {@code timeoutMillis}. A server
   * that wants a password answers {@code -NOAUTH}, which counts as answering.
   */
  public static boolean pings(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(5);
      String text = new String(reply, StandardCharsets.US_ASCII);
      return text.equals("+PONG") || text.startsWith("-NOAU");
    } catch (IOException e) {
      return false;
    }
  }
}
