package dev.aigis.model.load;

import java.net.URI;
import java.util.Locale;

/** The {@code url} of a {@code redis} store block, checked the same way for every resource that has one. */
public final class RedisUrls {

  private RedisUrls() {}

  /**
   * {@code redis://host[:port][/db]} or {@code rediss://} for TLS. Never echoed: it may carry a
   * password. Shared by every resource with a Redis store (the response cache's too).
   */
  public static URI read(Fields redis) {
    String text = redis.requiredString("url");
    if (text == null || text.isEmpty()) {
      return null;
    }
    URI uri = redis.uri("url", text);
    if (uri == null) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String problem;
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      problem = "URL scheme must be redis or rediss (TLS)";
    } else if (uri.getHost() == null) {
      problem = "URL has no host";
    } else if (uri.getRawUserInfo() != null) {
      problem = "URL must not have user info; put the password in a Secret named by passwordSecret";
    } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      problem = "URL must not have a query or a fragment";
    } else if (uri.getRawPath() != null && !uri.getRawPath().matches("(/[0-9]{0,5})?")) {
      problem = "URL path must be empty or a database number such as /0";
    } else {
      return uri;
    }
    redis.error("url", problem);
    return null;
  }
}
