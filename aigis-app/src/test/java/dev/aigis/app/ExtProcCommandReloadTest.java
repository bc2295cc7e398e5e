package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.EnvoyReplay.Answer;
import dev.aigis.app.EnvoyReplay.Filter;
import dev.aigis.app.EnvoyReplay.Outcome;
import dev.aigis.app.EnvoyReplay.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aigis extproc -f FILE} hot-reloads its file. The command runs in a JVM of its own: it
 * stops only on a shutdown signal, which a test can send to a child process but not to its own
 * JVM. Envoy is replayed over gRPC ({@link EnvoyReplay}); the test waits on the command's own log
 * lines (its port, each applied reload), never on time; the bounds only fail a broken run.
 */
class ExtProcCommandReloadTest {

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private static final Pattern RELOADED = Pattern.compile("configuration reloaded");
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final String END_OF_OUTPUT = "\u0000end of output";
  private static final Answer OK = new Answer(200, Map.of("content-type", List.of("application/json")), List.of());

  @TempDir Path dir;
  private Process command;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (command != null) {
      command.destroy(); // SIGTERM: the command's shutdown hook closes the server and the watcher
      if (!command.waitFor(10, TimeUnit.SECONDS)) {
        command.destroyForcibly();
      }
    }
  }

  @Test
  void rewrittenFileAppliesToNewStreamsWhileAnOpenStreamKeepsItsConfiguration() throws Exception {
    Path file = dir.resolve("processors.yaml");
    Files.writeString(file, config("one"));
    start("extproc", "--port", "0", "-f", file.toString());
    int port = Integer.parseInt(await(LISTENING).group(1));

    try (var envoy = new EnvoyReplay(port)) {
      var afterReload = new AtomicReference<Outcome>();
      // While Envoy waits on the upstream of the first exchange (its request already processed on
      // "one"), the file changes, the reload is applied, and a second exchange runs start to end.
      Outcome open = envoy.exchange(Filter.OVERRIDABLE, models(), sent -> {
        assertThat(sent.header("x-config")).as("request processed before the reload").isEqualTo("one");
        write(file, config("two"));
        await(RELOADED);
        afterReload.set(exchange(envoy));
        return OK;
      });

      assertThat(afterReload.get().upstream().header("x-config")).as("a stream opened after the reload").isEqualTo("two");
      assertThat(afterReload.get().client().header("x-config-response")).isEqualTo("two");
      assertThat(open.client().header("x-config-response"))
          .as("the stream opened before the reload answers its response on its own configuration").isEqualTo("one");
    }
  }

  private static Outcome exchange(EnvoyReplay envoy) {
    try {
      return envoy.exchange(Filter.OVERRIDABLE, models(), sent -> OK);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET /v1/models}: headers only, so the chain runs on the request headers. */
  private static Request models() {
    return new Request("GET", "/v1/models", "llm.example", Map.of(), new byte[0]);
  }

  /** One Gateway whose PreRouting chain stamps {@code value} on the request and on the response. */
  private static String config(String value) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: eg}
        spec:
          gatewayClassName: envoy
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: stamp}
        spec:
          targetRef: {kind: Gateway, name: eg}
          phase: PreRouting
          processors:
          - name: stamp
            type: InProcess
            inProcess:
              request:
                setHeaders: [{name: x-config, value: "'%1$s'"}]
              response:
                setHeaders: [{name: x-config-response, value: "'%1$s'"}]
        """.formatted(value);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code aigis args…} on this test's class path, its output (logs included) read line by line. */
  private void start(String... args) throws IOException {
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    line.addAll(List.of(args));
    command = new ProcessBuilder(line).redirectErrorStream(true).start();
    Thread.ofPlatform().daemon().name("aigis-extproc-output").start(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(command.getInputStream(), StandardCharsets.UTF_8))) {
        for (String next = reader.readLine(); next != null; next = reader.readLine()) {
          lines.add(next);
        }
      } catch (IOException e) {
        lines.add("reading the output failed: " + e);
      }
      lines.add(END_OF_OUTPUT);
    });
  }

  /** The first line from now on that {@code pattern} finds; fails if the command ends first. */
  private Matcher await(Pattern pattern) {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    try {
      while (true) {
        String next = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (next == null || next.equals(END_OF_OUTPUT)) {
          throw new AssertionError((next == null ? "no line matching " + pattern + " within " + STARTUP
              : "the command ended before a line matching " + pattern) + "; its output:\n" + String.join("\n", seen));
        }
        seen.add(next);
        Matcher m = pattern.matcher(next);
        if (m.find()) {
          return m;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
