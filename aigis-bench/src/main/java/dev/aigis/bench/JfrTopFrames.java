package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's {@code jdk.ExecutionSample} events: top frames, and the first
 * frame in an {@code dev.aigis} class of each stack. Usage: {@code JfrTopFrames FILE [N]}. Record
 * the gateway with {@code ./aigis bench wrk --jfr} (which prints this summary), or with {@code
 * ./aigis bench --gateway-java-opts "-XX:+UseParallelGC
 * -XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile"}.
 */
public final class JfrTopFrames {

  private JfrTopFrames() {}

  public static void main(String[] args) throws IOException {
    System.out.print(summary(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 25));
  }

  /** Sample count, then the {@code n} busiest threads, top frames and innermost Aigis frames. */
  static String summary(Path recording, int n) throws IOException {
    Map<String, Integer> top = new HashMap<>();
    Map<String, Integer> aigis = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int total = 0;
    int nativeSamples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (e.getEventType().getName().equals("jdk.NativeMethodSample")) {
        nativeSamples++;
        continue;
      }
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
    // threads in native code (epoll, socket reads and writes) are not in the execution samples
    var out = new StringBuilder(total + " execution samples (Java code), " + nativeSamples
        + " native-method samples (threads in native code: epoll, socket I/O)\n");
    print(out, "threads", threads, total, n);
    print(out, "top frames", top, total, n);
    print(out, "innermost dev.aigis frame", aigis, total, n);
    return out.toString();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(StringBuilder out, String title, Map<String, Integer> counts, int total, int n) {
    out.append("\n== ").append(title).append('\n');
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
        .forEach(en -> out.append(String.format(Locale.ROOT, "%5.1f%%  %s%n", 100.0 * en.getValue() / total, en.getKey())));
  }
}
