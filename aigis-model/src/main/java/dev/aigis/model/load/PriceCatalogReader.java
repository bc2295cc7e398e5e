package dev.aigis.model.load;

import dev.aigis.model.ObjectMeta;
import dev.aigis.model.PriceCatalog;
import dev.aigis.model.SourceRef;
import dev.aigis.model.policy.ModelPrice;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the spec of an aigis.dev/v1alpha1 PriceCatalog: USD per million tokens for a model name or a
 * model-name prefix. Aigis's shipped catalogue is a PriceCatalog document read by this class too.
 */
final class PriceCatalogReader {

  private static final List<String> ENTRY = List.of("model", "modelPrefix", "input", "output", "cachedInput", "cacheWrite");

  private PriceCatalogReader() {}

  static PriceCatalog read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "prices");
    if (spec == null) {
      return null;
    }
    Set<String> seen = new HashSet<>();
    List<ModelPrice> prices = spec.objects("prices", true, ENTRY, entry -> price(entry, seen));
    if (spec.emptyList("prices")) {
      spec.error("prices", "at least one price is required");
    }
    return new PriceCatalog(metadata, source, prices);
  }

  private static ModelPrice price(Fields entry, Set<String> seen) {
    if (entry.has("model") == entry.has("modelPrefix")) {
      entry.issues().add(entry.path(), "set exactly one of model or modelPrefix");
    }
    boolean prefix = entry.has("modelPrefix");
    String field = prefix ? "modelPrefix" : "model";
    String model = entry.string(field);
    if (model != null && model.isBlank()) {
      entry.error(field, "must not be blank");
    } else if (model != null && !seen.add((prefix ? "prefix:" : "exact:") + model)) {
      entry.error(field, "duplicate price for " + (prefix ? "prefix" : "model") + " \"" + model + "\" in this catalogue");
    }
    BigDecimal input = price(entry, "input", true);
    BigDecimal output = price(entry, "output", true);
    BigDecimal cachedInput = price(entry, "cachedInput", false);
    BigDecimal cacheWrite = price(entry, "cacheWrite", false);
    return model == null || input == null || output == null ? null
        : new ModelPrice(model, prefix, input, output, cachedInput, cacheWrite);
  }

  private static BigDecimal price(Fields entry, String field, boolean required) {
    BigDecimal price = entry.decimal(field, required);
    if (price != null && price.signum() < 0) {
      entry.error(field, "must not be negative (got " + price.toPlainString() + ")");
      return null;
    }
    return price;
  }
}
