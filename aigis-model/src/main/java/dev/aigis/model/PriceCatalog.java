package dev.aigis.model;

import dev.aigis.model.policy.ModelPrice;
import java.util.List;

/**
 * aigis.dev/v1alpha1 PriceCatalog: USD prices per million tokens that override or extend the
 * catalogue Aigis ships, for {@code COST} limits and the usage report.
 */
public record PriceCatalog(ObjectMeta metadata, SourceRef source, List<ModelPrice> prices) implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "PriceCatalog";

  public PriceCatalog {
    prices = prices == null ? List.of() : List.copyOf(prices);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
