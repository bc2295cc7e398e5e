package dev.aigis.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigErrorTest {

  @Test
  void formatLeavesOutAbsentParts() {
    assertThat(new ConfigError("a.yaml", 7, "HTTPRoute/chat", "spec.hostnames[0]", "bad").format())
        .isEqualTo("a.yaml:7: HTTPRoute/chat: spec.hostnames[0]: bad");
    assertThat(new ConfigError("a.yaml", 0, null, null, "bad").format()).isEqualTo("a.yaml: bad");
    assertThat(new ConfigError("a.yaml", 3, null, "kind", "bad").format()).isEqualTo("a.yaml:3: kind: bad");
  }

  @Test
  void exceptionMessageListsErrorsOnePerLine() {
    ConfigException e = new ConfigException(List.of(
        new ConfigError("a.yaml", 1, null, null, "one"), new ConfigError("b.yaml", 2, "Gateway/gw", null, "two")));
    assertThat(e.getMessage()).isEqualTo("a.yaml:1: one\nb.yaml:2: Gateway/gw: two");
    assertThat(e.errors()).hasSize(2);
  }

  @Test
  void lineOfFallsBackToClosestRecordedAncestor() {
    SourceRef source = new SourceRef("a.yaml", 1, Map.of(
        "spec", 5, "spec.rules[0]", 9, "data", 3, "data[tls.crt]", 4));
    assertThat(source.lineOf("spec.rules[0].backendRefs[2].weight")).isEqualTo(9);
    assertThat(source.lineOf("spec.hostnames")).isEqualTo(5);
    assertThat(source.lineOf("data[tls.key]")).isEqualTo(3);
    assertThat(source.lineOf("data[tls.crt]")).isEqualTo(4);
    assertThat(source.lineOf("metadata.name")).isEqualTo(1);
    assertThat(source.lineOf(null)).isEqualTo(1);
  }
}
