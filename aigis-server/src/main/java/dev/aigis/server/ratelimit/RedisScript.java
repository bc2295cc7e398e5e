package dev.aigis.server.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script from this package's resources with its SHA-1, the name Redis caches it under: calls
 * go out as {@code EVALSHA} and fall back to {@code EVAL} (which caches it again) when Redis answers
 * {@code NOSCRIPT}, as after a restart or {@code SCRIPT FLUSH}. No {@code SCRIPT LOAD} round trip.
 */
public record RedisScript(String name, String source, String sha1) {

  static RedisScript load(String resource) {
    return load(RedisScript.class, resource);
  }

  /** The script {@code resource}, resolved against {@code anchor}'s package. */
  public static RedisScript load(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + resource);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new RedisScript(resource, source, HexFormat.of().formatHex(digest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
