package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx in the harness: the plain reverse-proxy baseline, and (in {@code ./aigis bench wrk}) the
 * static upstream. Each instance gets its own prefix directory and runs in the foreground
 * ({@link #command}), so {@link Children} stops it with the run.
 */
final class Nginx {

  /** Path prefix of the location that streams ({@code proxy_buffering off}). */
  static final String STREAM_PREFIX = "/stream";

  private Nginx() {}

  static Optional<Path> find() {
    return DebianTools.which("nginx");
  }

  static String version(Path nginx) {
    try {
      Process p = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return out.replace("nginx version: ", "");
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  /** Runs the configuration in {@code dir} in the foreground (no daemon, so no stray master). */
  static List<String> command(Path nginx, Path conf) {
    return List.of(nginx.toString(), "-p", conf.getParent().toString(), "-c", conf.toString(),
        "-g", "daemon off;");
  }

  /**
   * Writes {@code <dir>/nginx.conf} of the reverse proxy: {@code /} buffered, {@code /stream/}
   * unbuffered. {@code worker_processes auto} (one per core) matches the gateway's default of one
   * event loop per core.
   */
  static Path writeConfig(Path dir, int listenPort, int upstreamPort) throws IOException {
    String conf = """
        worker_processes auto;
        %1$s
          upstream fake {
            server 127.0.0.1:%3$d;
            keepalive 64;
            keepalive_requests 10000000;
          }
          server {
            listen 127.0.0.1:%2$d;
            keepalive_requests 10000000;
            keepalive_timeout 120s;
            location / {
              proxy_pass http://fake;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering on;
            }
            location %4$s/ {
              proxy_pass http://fake/;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
            }
          }
        }
        """.formatted(httpPreamble(dir), listenPort, upstreamPort, STREAM_PREFIX);
    return write(dir, conf);
  }

  /**
   * Writes {@code <dir>/nginx.conf} of a static OpenAI upstream: {@code POST
   * /v1/chat/completions} answers 200 with {@code body} as JSON, other methods 405, other paths
   * 404. {@code return} runs before nginx's static-file handler (which refuses POST), and nginx
   * reads and discards the request body itself, so the connection stays usable. One worker: the
   * upstream is the floor every target shares, and one process keeps it from taking both cores.
   */
  static Path writeStaticUpstream(Path dir, int listenPort, String body) throws IOException {
    if (body.contains("'") || body.contains("$")) {
      throw new IllegalArgumentException("the static body must not hold ' or $ (nginx quoting)");
    }
    String conf = """
        worker_processes 1;
        %1$s
          server {
            listen 127.0.0.1:%2$d;
            keepalive_requests 10000000;
            keepalive_timeout 120s;
            location = %3$s {
              if ($request_method != POST) { return 405; }
              default_type application/json;
              return 200 '%4$s';
            }
            location / { return 404; }
          }
        }
        """.formatted(httpPreamble(dir), listenPort, Workload.PATH, body);
    return write(dir, conf);
  }

  /**
   * Everything up to and including {@code http {}: logs, pid and temp paths inside {@code dir}.
   * Run as root, nginx's workers drop to {@code nobody}, hence the world-writable temp
   * directories.
   */
  private static String httpPreamble(Path dir) throws IOException {
    for (String sub : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"}) {
      Path d = Files.createDirectories(dir.resolve(sub));
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return """
        error_log %1$s/logs/error.log warn;
        pid %1$s/nginx.pid;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;""".formatted(dir);
  }

  private static Path write(Path dir, String conf) throws IOException {
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    return file;
  }
}
