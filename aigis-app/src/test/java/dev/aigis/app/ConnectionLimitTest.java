package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.ServerOptions;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One client address cannot hold more connections than its limit, nor all clients together more
 * than the total: the next one is closed as it arrives, and counted.
 */
class ConnectionLimitTest {

  private static final String GET_MODELS = "GET /v1/models HTTP/1.1\r\nHost: localhost\r\n\r\n";

  @Test
  void aConnectionPastTheClientLimitIsClosedAndOneClosingMakesRoom() throws Exception {
    assertTheThirdIsShed(ServerOptions.defaults().withMaxConnectionsPerClient(2), "client_limit");
  }

  @Test
  void aConnectionPastTheTotalLimitIsClosedAndOneClosingMakesRoom() throws Exception {
    assertTheThirdIsShed(ServerOptions.defaults().withMaxConnections(2), "total_limit");
  }

  private static void assertTheThirdIsShed(ServerOptions limits, String reason) throws Exception {
    try (var gateway = GatewayFixture.start(EmbeddedConfig.yaml(0, k -> null).replace("port: 0", "port: ${PORT}"),
        limits.withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of())) {
      Socket first = new Socket("127.0.0.1", gateway.port);
      Socket second = new Socket("127.0.0.1", gateway.port);
      // Each answered once: both are accepted and counted before the third arrives.
      assertThat(exchange(first)).startsWith("HTTP/1.1 200 ");
      assertThat(exchange(second)).startsWith("HTTP/1.1 200 ");

      try (var third = new Socket("127.0.0.1", gateway.port)) {
        assertThat(closedWithoutAnswer(third)).isTrue();
      }

      first.close();
      // The count drops when the gateway sees the close; a new connection is admitted once it has.
      String answer = "";
      for (int tries = 0; tries < 1000 && !answer.startsWith("HTTP/1.1 200 "); tries++) {
        try (var again = new Socket("127.0.0.1", gateway.port)) {
          answer = exchange(again);
        } catch (java.io.IOException reset) {
          answer = ""; // still at the limit: the gateway closed it
        }
      }
      assertThat(answer).startsWith("HTTP/1.1 200 ");
      second.close();
      assertThat(gateway.admin("/metrics").body()).containsPattern("aigis_connections_shed_total\\{reason=\"" + reason + "\"} [1-9]");
    }
  }

  /** Whether the gateway closes {@code socket} without answering a request on it (an end of stream or a reset). */
  private static boolean closedWithoutAnswer(Socket socket) {
    try {
      socket.getOutputStream().write(GET_MODELS.getBytes(StandardCharsets.US_ASCII));
      return socket.getInputStream().read() == -1;
    } catch (java.io.IOException reset) {
      return true;
    }
  }

  /** One keep-alive request on {@code socket}; its status line, or "" when the gateway closed it. */
  private static String exchange(Socket socket) throws Exception {
    socket.getOutputStream().write(GET_MODELS.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    byte[] status = in.readNBytes(15);
    return new String(status, StandardCharsets.US_ASCII);
  }
}
