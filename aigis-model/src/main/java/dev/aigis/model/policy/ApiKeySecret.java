package dev.aigis.model.policy;

import dev.aigis.model.Secret;
import dev.aigis.model.load.FieldPaths;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Reads a Secret of type {@code aigis.dev/api-key} into an {@link ApiKey}. The loader uses it to report
 * problems on the line of the offending key, the snapshot compiler to build the key; one parser, so the
 * two cannot disagree. No message contains a value from the Secret.
 *
 * <p>Keys: {@code sha256} (required: 64 lowercase hex digits, the SHA-256 of the key's UTF-8 bytes),
 * {@code name} (default: the Secret's name), {@code team}, {@code models} (comma-separated globs,
 * {@code *} for any run of characters), {@code labels} (comma-separated {@code k=v}) and
 * {@code expires} (an RFC 3339 instant). Nothing else, and in particular never the key itself.
 * Whitespace around a value is ignored ({@code echo} adds a newline before {@code base64}).
 */
public final class ApiKeySecret {

  public static final List<String> KEYS = List.of("sha256", "name", "team", "models", "labels", "expires");

  /** Key names people reach for when they paste the key itself (compared lowercased, without '-' and '_'). */
  private static final Set<String> RAW_KEY_NAMES = Set.of("key", "apikey", "token", "secret", "password", "value", "bearer");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NAME = Pattern.compile("[^\\s,]{1,253}");

  private ApiKeySecret() {}

  /**
   * The key {@code secret} describes, or null after reporting each problem to {@code problem} as
   * (field path, message).
   */
  public static ApiKey read(Secret secret, BiConsumer<String, String> problem) {
    // In file order (the Secret's map has none), so that problems are reported in a stable order.
    Map<String, String> data = new LinkedHashMap<>();
    secret.data().keySet().stream()
        .sorted(Comparator.comparingInt((String key) -> secret.source().lineOf(fieldPath(secret, key)))
            .thenComparing(Comparator.naturalOrder()))
        .forEach(key -> data.put(key, new String(secret.data().get(key), StandardCharsets.UTF_8).strip()));
    Problems problems = new Problems(secret, problem);
    for (String key : data.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(key, rawKeyName(key)
            ? "must not hold the API key itself: an aigis.dev/api-key Secret stores only its SHA-256, as 64 lowercase"
                + " hex digits in sha256"
            : "unknown key: an aigis.dev/api-key Secret holds " + String.join(", ", KEYS)
                + " (only the key's SHA-256, never the key)");
      }
    }
    byte[] sha256 = sha256(data.get("sha256"), problems);
    String name = data.getOrDefault("name", secret.metadata().name());
    if (!NAME.matcher(name).matches()) {
      problems.add("name", "must be 1 to 253 characters without spaces or commas");
    }
    String team = data.get("team");
    if (team != null && team.isEmpty()) {
      problems.add("team", "must not be empty");
    }
    List<String> models = models(data.get("models"), problems);
    Map<String, String> labels = labels(data.get("labels"), problems);
    Instant expires = expires(data.get("expires"), problems);
    return problems.any ? null
        : new ApiKey(name, team, sha256, models, labels, expires, secret.metadata().qualifiedName());
  }

  /**
   * Where {@code key} of {@code secret} was written: {@code stringData.key} or {@code data.key}; for a
   * missing key, the block that exists, so the error points at it.
   */
  public static String fieldPath(Secret secret, String key) {
    Map<String, Integer> lines = secret.source().fieldLines();
    String plain = FieldPaths.field("stringData", key);
    String encoded = FieldPaths.field("data", key);
    if (lines.containsKey(plain)) {
      return plain;
    }
    if (lines.containsKey(encoded)) {
      return encoded;
    }
    return lines.containsKey("stringData") && !lines.containsKey("data") ? plain : encoded;
  }

  private static boolean rawKeyName(String key) {
    String bare = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
    return RAW_KEY_NAMES.contains(bare) || bare.endsWith("apikey");
  }

  private static byte[] sha256(String hex, Problems problems) {
    if (hex == null) {
      problems.add("sha256", "required key is missing: the SHA-256 of the API key as 64 lowercase hex digits");
      return null;
    }
    if (!SHA256.matcher(hex).matches()) {
      problems.add("sha256", "must be the SHA-256 of the API key as 64 lowercase hex digits"
          + " (printf %s \"$KEY\" | sha256sum), never the key itself");
      return null;
    }
    return HexFormat.of().parseHex(hex);
  }

  private static List<String> models(String text, Problems problems) {
    if (text == null) {
      return null;
    }
    List<String> models = new ArrayList<>();
    for (String glob : text.split(",", -1)) {
      if (glob.isBlank()) {
        problems.add("models", "has an empty entry: write comma-separated model names or globs such as gpt-4o*");
        return null;
      }
      models.add(glob.strip());
    }
    return models;
  }

  private static Map<String, String> labels(String text, Problems problems) {
    if (text == null) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? "" : pair.substring(0, eq).strip();
      if (key.isEmpty()) {
        problems.add("labels", "must be comma-separated key=value pairs, such as env=dev,tier=gold");
        return null;
      }
      if (labels.put(key, pair.substring(eq + 1).strip()) != null) {
        problems.add("labels", "sets a label more than once");
        return null;
      }
    }
    return labels;
  }

  private static Instant expires(String text, Problems problems) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      problems.add("expires", "invalid timestamp: expected RFC 3339 such as 2026-01-31T00:00:00Z");
      return null;
    }
  }

  /** Reports each problem at the key's field path and remembers that there was one. */
  private static final class Problems {
    private final Secret secret;
    private final BiConsumer<String, String> sink;
    boolean any;

    Problems(Secret secret, BiConsumer<String, String> sink) {
      this.secret = secret;
      this.sink = sink;
    }

    void add(String key, String message) {
      any = true;
      sink.accept(fieldPath(secret, key), message);
    }
  }
}
