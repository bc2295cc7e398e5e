package dev.aigis.bench;

import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import java.io.IOException;

/**
 * The fake OpenAI upstream as its own process, so that upstream, gateway and load generator are
 * three processes as in a deployment. Usage: {@code UpstreamMain PORT EVENT_LOOPS} (port 0: any
 * free port). Prints {@code READY port=N} once listening and exits when its standard input
 * closes, so it never outlives the harness that started it.
 */
public final class UpstreamMain {

  private UpstreamMain() {}

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    var upstream = FakeOpenAiUpstream.start(
        FakeOptions.defaults().withPort(port).withEventLoopThreads(threads).withRecordRequests(false));
    System.out.println("READY port=" + upstream.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to close the pipe (or die)
    }
    upstream.close();
    System.exit(0);
  }
}
