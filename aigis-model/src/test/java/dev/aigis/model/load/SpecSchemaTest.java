package dev.aigis.model.load;

import org.junit.jupiter.api.Test;

class SpecSchemaTest {
  @Test
  void dump() {
    for (String kind : SpecSchema.kinds()) {
      long t = System.nanoTime();
      String s = SpecSchema.of(kind).toPrettyString();
      System.out.println(kind + " " + (System.nanoTime() - t) / 1_000_000 + "ms\n" + s);
    }
  }
}
