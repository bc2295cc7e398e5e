package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's {@code jdk.ExecutionSample} events: top frames, and the first
 * frame in an {@code dev.aigis} class of each stack. Usage: {@code JfrTopFrames FILE [N]}. Record
 * the gateway with {@code ./aigis bench --gateway-java-opts "-XX:+UseParallelGC
 * -XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile"}.
 */
public final class JfrTopFrames {

  private JfrTopFrames() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Integer> top = new HashMap<>();
    Map<String, Integer> aigis = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      total++;
      var frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      top.merge(name(frames.getFirst()), 1, Integer::sum);
      threads.merge(e.getThread("sampledThread").getJavaName(), 1, Integer::sum);
      String first = frames.stream().map(JfrTopFrames::name).filter(s -> s.startsWith("dev.aigis"))
          .findFirst().orElse("(no dev.aigis frame)");
      aigis.merge(first, 1, Integer::sum);
    }
    System.out.println(total + " execution samples");
    print("threads", threads, total, n);
    print("top frames", top, total, n);
    print("innermost dev.aigis frame", aigis, total, n);
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total, int n) {
    System.out.println("\n== " + title);
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
        .forEach(en -> System.out.printf("%5.1f%%  %s%n", 100.0 * en.getValue() / total, en.getKey()));
  }
}
