package dev.aigis.core.guard.pii;

import org.junit.jupiter.api.Test;

class TmpDebugTest {
  @Test
  void misses() throws Exception {
    var scanner = PiiScanner.all();
    for (var row : PiiDevSetTest.devRows()) {
      String text = row.path("text").asText();
      var pred = scanner.scan(text);
      for (var s : row.path("spans")) {
        if (!s.path("entity_type").asText().equals("PHONE_NUMBER")) continue;
        int a = text.offsetByCodePoints(0, s.path("start").asInt()), b = text.offsetByCodePoints(0, s.path("end").asInt());
        var t = new PiiMatch(PiiEntity.PHONE_NUMBER, a, b);
        if (pred.stream().noneMatch(p -> p.entity() == PiiEntity.PHONE_NUMBER && p.overlaps(t)))
          System.out.println("MISS " + text.substring(a, b) + " || " + pred + " || " + text.substring(Math.max(0, a - 40), a).replace("\n", "\\n"));
      }
      for (var p : pred) {
        if (p.entity() != PiiEntity.PHONE_NUMBER) continue;
        boolean ok = false;
        for (var s : row.path("spans")) {
          int a = text.offsetByCodePoints(0, s.path("start").asInt()), b = text.offsetByCodePoints(0, s.path("end").asInt());
          if (s.path("entity_type").asText().equals("PHONE_NUMBER") && p.overlaps(new PiiMatch(PiiEntity.PHONE_NUMBER, a, b))) ok = true;
        }
        if (!ok) System.out.println("FP " + text.substring(p.start(), p.end()) + " || " + row.path("spans"));
      }
    }
  }
}
