package dev.aigis.model.processing;

import dev.aigis.model.Names;
import dev.aigis.model.load.Fields;
import dev.aigis.model.load.Range;
import dev.aigis.model.load.RedisUrls;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** {@code type: ResponseCache}: the response cache ({@link ResponseCacheSpec}). */
final class ResponseCacheType implements ProcessorType<ResponseCacheSpec> {

  /** Far above any useful size for one process; a typo such as 1e9 is refused. */
  static final long MAX_ENTRIES = 10_000_000;
  /** Declared where read (the CRD schema bounds them) and checked in {@link #validate}. */
  private static final Range THRESHOLD = Range.aboveUpTo("0", "1");
  private static final Range TEMPERATURE = Range.closed("0", "2");

  @Override
  public String name() {
    return "ResponseCache";
  }

  @Override
  public String block() {
    return "responseCache";
  }

  @Override
  public Class<ResponseCacheSpec> configClass() {
    return ResponseCacheSpec.class;
  }

  @Override
  public List<String> fields() {
    return List.of("exact", "semantic", "ttl", "maxEntries", "maxTemperature", "store", "scope");
  }

  @Override
  public ResponseCacheSpec read(Fields block) {
    Fields exact = block.object("exact", "enabled");
    Fields semantic = block.object("semantic", "enabled", "threshold");
    Duration ttl = block.duration("ttl");
    Integer maxEntries = block.integer("maxEntries");
    BigDecimal maxTemperature = block.decimal("maxTemperature", false, TEMPERATURE);
    Fields store = block.object("store", "redis");
    return new ResponseCacheSpec(
        new ResponseCacheSpec.Exact(exact == null || exact.bool("enabled", true)),
        new ResponseCacheSpec.Semantic(semantic == null || semantic.bool("enabled", true),
            semantic == null ? null : semantic.decimal("threshold", false, THRESHOLD)),
        ttl == null ? ResponseCacheSpec.DEFAULT_TTL : ttl,
        maxEntries == null ? ResponseCacheSpec.DEFAULT_MAX_ENTRIES : maxEntries,
        maxTemperature == null ? ResponseCacheSpec.DEFAULT_MAX_TEMPERATURE : maxTemperature,
        store == null ? ResponseCacheSpec.Store.MEMORY : store(store.object("redis", "url", "passwordSecret", "timeout")),
        block.choice("scope", false, ResponseCacheSpec.SCOPES));
  }

  private static ResponseCacheSpec.Store store(Fields redis) {
    if (redis == null) {
      return ResponseCacheSpec.Store.MEMORY;
    }
    var url = RedisUrls.read(redis);
    String passwordSecret = redis.string("passwordSecret");
    if (passwordSecret != null && !Names.isDnsSubdomain(passwordSecret)) {
      redis.error("passwordSecret", "invalid Secret name \"" + passwordSecret + "\": must be lowercase letters,"
          + " digits, '-' and '.', starting and ending with a letter or digit");
    }
    return new ResponseCacheSpec.Store(url, passwordSecret, redis.duration("timeout"));
  }

  @Override
  public void validate(ResponseCacheSpec spec, Errors errors) {
    String at = block();
    if (!spec.exact().enabled() && !spec.semantic().enabled()) {
      errors.at(at, "at least one of exact and semantic must be enabled");
    }
    BigDecimal threshold = spec.semantic().threshold();
    if (threshold != null && !THRESHOLD.contains(threshold)) {
      errors.at(at + ".semantic.threshold", "must be in (0, 1], got " + threshold.toPlainString());
    }
    if (spec.ttl() != null && (spec.ttl().isZero() || spec.ttl().isNegative())) {
      errors.at(at + ".ttl", "must be positive, got " + spec.ttl());
    }
    if (spec.maxEntries() < 1 || spec.maxEntries() > MAX_ENTRIES) {
      errors.at(at + ".maxEntries", "must be 1.." + MAX_ENTRIES + ", got " + spec.maxEntries());
    }
    if (spec.maxTemperature() != null
        && !TEMPERATURE.contains(spec.maxTemperature())) {
      errors.at(at + ".maxTemperature", "must be 0..2, got " + spec.maxTemperature().toPlainString());
    }
    Duration timeout = spec.store().timeout();
    if (timeout.isZero() || timeout.isNegative()) {
      errors.at(at + ".store.redis.timeout", "must be positive, got " + timeout);
    }
  }
}
