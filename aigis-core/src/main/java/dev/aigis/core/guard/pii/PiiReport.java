package dev.aigis.core.guard.pii;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Span-level figures of a scanner over labelled JSONL rows ({@code {"id", "text", "spans":
 * [{"entity_type", "start", "end"}]}}, offsets in code points as Python counts them).
 *
 * <p>Per entity type: a true span is found when a predicted span of the same type overlaps it
 * (recall), and a predicted span is correct when it overlaps a true span of the same type
 * (precision). Checksum cases are rows whose id names a number that fails its check (a card that
 * fails Luhn, an IBAN that fails mod 97, an SSN the SSA never issues); any detection of that type
 * in such a row is a false accept.
 *
 * @param entities counts per entity type the scanner covers
 * @param checksums per checksum case: rows and rows with a false accept
 */
public record PiiReport(Map<PiiEntity, Counts> entities, Map<String, Checksum> checksums) {

  public record Counts(int trueSpans, int found, int predicted, int correct) {
    public double recall() {
      return trueSpans == 0 ? Double.NaN : (double) found / trueSpans;
    }

    public double precision() {
      return predicted == 0 ? Double.NaN : (double) correct / predicted;
    }
  }

  public record Checksum(PiiEntity entity, int rows, int falseAccepts) {}

  /** Checksum case by the id fragment that names it. */
  private static final Map<String, PiiEntity> CHECKSUM_CASES = Map.of(
      "luhnfail", PiiEntity.CREDIT_CARD,
      "ibanfail", PiiEntity.IBAN_CODE,
      "mod97fail", PiiEntity.IBAN_CODE,
      "ssn-area000", PiiEntity.US_SSN,
      "ssn-area666", PiiEntity.US_SSN,
      "ssn-area9xx", PiiEntity.US_SSN,
      "ssn-group00", PiiEntity.US_SSN,
      "ssn-serial0000", PiiEntity.US_SSN,
      "ssn-invalid", PiiEntity.US_SSN);

  public static PiiReport evaluate(PiiScanner scanner, List<JsonNode> rows) {
    Map<PiiEntity, int[]> counts = new EnumMap<>(PiiEntity.class);
    for (PiiEntity e : scanner.entities()) {
      counts.put(e, new int[4]);
    }
    Map<String, int[]> checks = new LinkedHashMap<>();
    for (JsonNode row : rows) {
      String text = row.path("text").asText();
      List<PiiMatch> predicted = scanner.scan(text);
      List<PiiMatch> truth = truth(row, text, scanner);
      for (PiiMatch t : truth) {
        int[] c = counts.get(t.entity());
        c[0]++;
        c[1] += predicted.stream().anyMatch(p -> p.entity() == t.entity() && p.overlaps(t)) ? 1 : 0;
      }
      for (PiiMatch p : predicted) {
        int[] c = counts.get(p.entity());
        c[2]++;
        c[3] += truth.stream().anyMatch(t -> t.entity() == p.entity() && p.overlaps(t)) ? 1 : 0;
      }
      String id = row.path("id").asText();
      CHECKSUM_CASES.forEach((fragment, entity) -> {
        if (id.contains(fragment) && scanner.entities().contains(entity)) {
          int[] c = checks.computeIfAbsent(fragment, k -> new int[2]);
          c[0]++;
          c[1] += predicted.stream().anyMatch(p -> p.entity() == entity) ? 1 : 0;
        }
      });
    }
    Map<PiiEntity, Counts> entities = new EnumMap<>(PiiEntity.class);
    counts.forEach((e, c) -> entities.put(e, new Counts(c[0], c[1], c[2], c[3])));
    Map<String, Checksum> checksums = new LinkedHashMap<>();
    checks.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en ->
        checksums.put(en.getKey(), new Checksum(CHECKSUM_CASES.get(en.getKey()), en.getValue()[0], en.getValue()[1])));
    return new PiiReport(entities, checksums);
  }

  /** Whether a row holds a span of a type the scanner covers: the row's label for detection. */
  public static boolean hasCoveredSpan(JsonNode row, PiiScanner scanner) {
    for (JsonNode span : row.path("spans")) {
      PiiEntity e = entityOf(span.path("entity_type").asText());
      if (e != null && scanner.entities().contains(e)) {
        return true;
      }
    }
    return false;
  }

  public int falseAccepts() {
    return checksums.values().stream().mapToInt(Checksum::falseAccepts).sum();
  }

  /** For {@code aigis guard eval}'s output and {@code --json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> perEntity = new LinkedHashMap<>();
    entities.forEach((e, c) -> {
      if (c.trueSpans() > 0 || c.predicted() > 0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("true_spans", c.trueSpans());
        m.put("found", c.found());
        m.put("recall", round(c.recall()));
        m.put("predicted", c.predicted());
        m.put("precision", round(c.precision()));
        perEntity.put(e.name(), m);
      }
    });
    Map<String, Object> checks = new LinkedHashMap<>();
    checksums.forEach((k, c) -> checks.put(k, Map.of("rows", c.rows(), "false_accepts", c.falseAccepts())));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pii_entities", perEntity);
    out.put("pii_checksum_cases", checks);
    out.put("pii_checksum_false_accepts", falseAccepts());
    return out;
  }

  private static Object round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
  }

  private static List<PiiMatch> truth(JsonNode row, String text, PiiScanner scanner) {
    return java.util.stream.StreamSupport.stream(row.path("spans").spliterator(), false)
        .filter(s -> {
          PiiEntity e = entityOf(s.path("entity_type").asText());
          return e != null && scanner.entities().contains(e);
        })
        .map(s -> new PiiMatch(entityOf(s.path("entity_type").asText()),
            text.offsetByCodePoints(0, s.path("start").asInt()),
            text.offsetByCodePoints(0, s.path("end").asInt())))
        .toList();
  }

  private static PiiEntity entityOf(String type) {
    try {
      return PiiEntity.valueOf(type);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
