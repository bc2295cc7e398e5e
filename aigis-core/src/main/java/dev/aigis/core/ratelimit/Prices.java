package dev.aigis.core.ratelimit;

import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.ConfigError;
import dev.aigis.model.PriceCatalog;
import dev.aigis.model.load.ConfigLoader;
import dev.aigis.model.policy.ModelPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * USD prices per million tokens by model name, and what a request's usage costs. Immutable and
 * thread-safe; build one per configuration snapshot ({@code shipped().with(snapshot.policies().prices())})
 * and look up per request.
 *
 * <p>The shipped catalogue is {@code prices.yaml} beside this class, a PriceCatalog document read by
 * the same reader as the user's, so it obeys the same rules. A lookup tries, for the model name and
 * then for the name without a provider prefix: the overrides, exact name first, then the longest
 * matching prefix; then the shipped catalogue the same way. So an override always beats a shipped
 * entry, even a shorter override prefix over a shipped exact name.
 */
public final class Prices {

  private static final String RESOURCE = "prices.yaml";
  /** Bedrock cross-region inference profiles put a geography before the model id: {@code us.anthropic.claude-...}. */
  private static final Pattern BEDROCK_REGION = Pattern.compile("(?:us|eu|apac|ap|ca|jp|au|us-gov|global)\\.(.+)");
  private static final BigDecimal NANO_PER_MICRO = BigDecimal.valueOf(1_000);

  /** Highest priority first; each layer's entries are unique by name and kind. */
  private final List<Table> layers;

  private Prices(List<Table> layers) {
    this.layers = List.copyOf(layers);
  }

  /** The catalogue Aigis ships, read once. */
  public static Prices shipped() {
    return Shipped.PRICES;
  }

  /** These prices with {@code overrides} on top: they win over every price already here; among them the later wins. */
  public Prices with(List<ModelPrice> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    List<Table> stacked = new ArrayList<>();
    stacked.add(new Table(overrides));
    stacked.addAll(layers);
    return new Prices(stacked);
  }

  /**
   * The price for {@code model}: as written, then without a provider prefix ({@code openai/gpt-4o},
   * {@code models/gemini-2.5-flash}), without a Bedrock geography ({@code us.}), and for Bedrock's
   * {@code anthropic.claude-...} ids, as Anthropic names the model (Bedrock charges Anthropic's list
   * prices for on-demand use).
   */
  public Optional<ModelPrice> lookup(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    for (String candidate : candidates(model)) {
      for (Table table : layers) {
        ModelPrice price = table.find(candidate);
        if (price != null) {
          return Optional.of(price);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What {@code usage} costs at {@code price}, in nano-USD (10⁻⁹ USD), rounded up so that no request
   * is free. {@link TokenUsage#cachedInput()} (cache reads) and {@link TokenUsage#cacheWrite()}
   * (cache writes) are parts of {@link TokenUsage#input()}, so each is charged at its own price
   * (the input price when the catalogue has none) and the rest at the input price. Reasoning tokens
   * are part of output and charged as output, as every provider bills them. Parts larger than the
   * input are clamped to it, reads first. Saturates at {@link Long#MAX_VALUE}.
   */
  public static long nanoUsd(TokenUsage usage, ModelPrice price) {
    long input = Math.max(0, usage.input());
    long cached = Math.clamp(usage.cachedInput(), 0, input);
    long written = Math.clamp(usage.cacheWrite(), 0, input - cached);
    long uncached = input - cached - written;
    BigDecimal cachedPrice = price.cachedInputPerMillion() == null ? price.inputPerMillion() : price.cachedInputPerMillion();
    BigDecimal writePrice = price.cacheWritePerMillion() == null ? price.inputPerMillion() : price.cacheWritePerMillion();
    // USD per million tokens is micro-USD per token; ×1,000 gives nano-USD.
    BigDecimal microUsd = price.inputPerMillion().multiply(BigDecimal.valueOf(uncached))
        .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
        .add(writePrice.multiply(BigDecimal.valueOf(written)))
        .add(price.outputPerMillion().multiply(BigDecimal.valueOf(Math.max(0, usage.output()))));
    BigDecimal nano = microUsd.multiply(NANO_PER_MICRO).setScale(0, RoundingMode.CEILING);
    return nano.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : nano.longValueExact();
  }

  /** The names to try, most specific first. */
  static List<String> candidates(String model) {
    List<String> names = new ArrayList<>(4);
    names.add(model);
    String name = model;
    int slash = name.lastIndexOf('/');
    if (slash >= 0 && slash < name.length() - 1) {
      name = name.substring(slash + 1);
      names.add(name);
    }
    var region = BEDROCK_REGION.matcher(name);
    if (region.matches()) {
      name = region.group(1);
      names.add(name);
    }
    if (name.startsWith("anthropic.")) {
      names.add(name.substring("anthropic.".length()));
    }
    return names;
  }

  /** One catalogue: exact names in a map, prefixes longest first. */
  private static final class Table {
    private final Map<String, ModelPrice> exact = new LinkedHashMap<>();
    private final List<ModelPrice> prefixes;

    Table(List<ModelPrice> prices) {
      Map<String, ModelPrice> byPrefix = new LinkedHashMap<>();
      for (ModelPrice price : prices) {
        (price.prefix() ? byPrefix : exact).put(price.model(), price); // a later entry replaces an earlier one
      }
      prefixes = byPrefix.values().stream()
          .sorted(Comparator.comparingInt((ModelPrice p) -> p.model().length()).reversed())
          .toList();
    }

    ModelPrice find(String model) {
      ModelPrice price = exact.get(model);
      if (price != null) {
        return price;
      }
      for (ModelPrice candidate : prefixes) {
        if (model.startsWith(candidate.model())) {
          return candidate;
        }
      }
      return null;
    }
  }

  /** Reads the shipped catalogue on first use; a broken one is a build error, so it throws. */
  private static final class Shipped {
    static final Prices PRICES = new Prices(List.of(new Table(read())));

    private static List<ModelPrice> read() {
      String text;
      try (InputStream in = Prices.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ConfigLoader.LoadResult loaded = ConfigLoader.loadText("classpath:dev/aigis/core/ratelimit/" + RESOURCE, text);
      if (!loaded.ok() || loaded.resources().size() != 1 || !(loaded.resources().getFirst() instanceof PriceCatalog catalog)) {
        throw new IllegalStateException("the shipped price catalogue is not one valid PriceCatalog: "
            + loaded.errors().stream().map(ConfigError::format).collect(Collectors.joining("; ")));
      }
      return catalog.prices();
    }
  }
}
