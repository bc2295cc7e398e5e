package dev.aigis.server.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import org.junit.jupiter.api.Test;

/** Which Gateway's chains the ext_proc server runs. */
class ExtProcGatewayKeyTest {

  private static String gateway(String name, String namespace, int port) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: %s}
        spec:
          gatewayClassName: aigis
          listeners:
          - {name: http, port: %d, protocol: HTTP}
        ---
        """.formatted(name, namespace, port);
  }

  private static ConfigSnapshot snapshot(String yaml) throws Exception {
    return ConfigPipeline.compileText("gateways.yaml", yaml, name -> null);
  }

  @Test
  void theOnlyGatewayIsTheDefault() throws Exception {
    assertThat(ExtProcServer.gatewayKey(snapshot(gateway("aigis", "default", 8080)), null)).isEqualTo("default/aigis");
  }

  @Test
  void severalGatewaysNeedANameOrQualifiedName() throws Exception {
    ConfigSnapshot two = snapshot(gateway("a", "default", 8080) + gateway("b", "team", 8081));

    assertThatThrownBy(() -> ExtProcServer.gatewayKey(two, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 Gateways");
    assertThat(ExtProcServer.gatewayKey(two, "b")).isEqualTo("team/b");
    assertThat(ExtProcServer.gatewayKey(two, "default/a")).isEqualTo("default/a");
    assertThatThrownBy(() -> ExtProcServer.gatewayKey(two, "c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Gateway c");
  }
}
