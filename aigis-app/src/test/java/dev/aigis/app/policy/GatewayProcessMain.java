package dev.aigis.app.policy;

import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.server.GatewayServer;
import dev.aigis.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A gateway in a process of its own, for tests that need two replicas sharing only Redis: args are
 * the config file and the instant its clock stands still at. Prints {@code PORT <n>} once it
 * serves and stops when its stdin closes.
 */
public final class GatewayProcessMain {

  private GatewayProcessMain() {}

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[0]);
    Instant frozen = Instant.parse(args[1]);
    var snapshot = ConfigPipeline.loadAndCompile(List.of(config), System::getenv);
    var options = ServerOptions.defaults().withAdminPort(-1).withTrafficHost("127.0.0.1").withEventLoops(2);
    try (GatewayServer server = GatewayServer.start(snapshot, options, () -> frozen)) {
      System.out.println("PORT " + server.boundPorts().values().iterator().next());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes our stdin
      }
    }
  }
}
