package dev.aigis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives one target with wrk: {@code POST /v1/chat/completions} with the {@link Workload#chat}
 * body, from a Lua script written once per run. The script's {@code done()} prints one line of
 * exact figures ({@code AIGIS-WRK key=value ...}) that is parsed here, rather than wrk's rounded,
 * unit-suffixed text; {@code --latency} still prints wrk's own distribution into the saved output
 * ({@code <dir>/wrk-<name>.txt}) for reading. No {@code request()}/{@code response()} hooks: they
 * would run Lua per request and make wrk, which shares the cores with the target, slower.
 */
final class Wrk {

  /**
   * One wrk run. {@code requests} are the answers below 400; errors are answers of 400 and above
   * (wrk's "status" errors) plus socket errors and timeouts. Latencies in microseconds, wrk's
   * resolution, as wrk reports them: corrected for coordinated omission (see {@link #run}).
   */
  record Result(int connections, long requests, double seconds, long p50Micros, long p99Micros, long errors) {
    double rate() {
      return requests / seconds;
    }
  }

  private static final String MARK = "AIGIS-WRK";

  private final Path binary;
  private final Path dir;
  private final Path script;

  private Wrk(Path binary, Path dir, Path script) {
    this.binary = binary;
    this.dir = dir;
    this.script = script;
  }

  static Wrk prepare(Path binary, Path dir) throws IOException {
    String body = new String(Workload.chat(), StandardCharsets.UTF_8);
    if (body.contains("]==]")) {
      throw new IllegalStateException("the request body ends the Lua long string");
    }
    String lua = """
        -- written by ./aigis bench wrk
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer sk-bench-client"
        wrk.body = [==[%s]==]

        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("%s requests=%%d duration_us=%%d p50_us=%%d p99_us=%%d status=%%d connect=%%d read=%%d write=%%d timeout=%%d\\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            e.status, e.connect, e.read, e.write, e.timeout))
        end
        """.formatted(body, MARK);
    Path script = dir.resolve("chat.lua");
    Files.writeString(script, lua);
    return new Wrk(binary, dir, script);
  }

  static String version(Path wrk) {
    try {
      Process p = new ProcessBuilder(wrk.toString(), "-v").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("unknown");
      p.waitFor(5, TimeUnit.SECONDS);
      // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
      return first.replaceAll("\\s*Copyright.*", "").trim();
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  /**
   * Runs {@code wrk -t<threads> -c<connections> -d<seconds>s --latency} and parses its figures.
   * wrk 4.x corrects its latency histogram for coordinated omission before reporting it (and
   * before {@code done()}): every response slower than twice the mean interval per connection
   * (duration × connections / requests) adds synthetic samples at that response's latency minus 1,
   * 2, 3... intervals. So at one connection, where the interval is tens of microseconds, a single
   * 10 ms stall adds hundreds of samples, and p99 shows stalls (GC, a descheduled process) that a
   * plain percentile of the measured requests would hide.
   */
  Result run(String name, int port, int threads, int connections, int seconds)
      throws IOException, InterruptedException {
    Path out = dir.resolve("wrk-" + name + ".txt");
    List<String> command = List.of(binary.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", "-s", script.toString(), "http://127.0.0.1:" + port + Workload.PATH);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("wrk did not finish within " + (seconds + 60) + " s; see " + out);
    }
    String text = Files.readString(out);
    String line = text.lines().filter(l -> l.startsWith(MARK)).findFirst()
        .orElseThrow(() -> new IOException("wrk (exit " + p.exitValue() + ") printed no " + MARK + " line:\n" + text));
    Map<String, Long> v = new HashMap<>();
    for (String pair : line.substring(MARK.length()).trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      v.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    long errors = v.get("status") + v.get("connect") + v.get("read") + v.get("write") + v.get("timeout");
    return new Result(connections, v.get("requests") - v.get("status"), v.get("duration_us") / 1e6, v.get("p50_us"),
        v.get("p99_us"), errors);
  }
}
