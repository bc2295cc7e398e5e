package dev.aigis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** nginx as the plain reverse-proxy baseline: finding it and writing its configuration. */
final class Nginx {

  /** Path prefix of the location that streams ({@code proxy_buffering off}). */
  static final String STREAM_PREFIX = "/stream";

  private Nginx() {}

  static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
        return Optional.of(Path.of(dir, "nginx"));
      }
    }
    Path sbin = Path.of("/usr/sbin/nginx");
    return Files.isExecutable(sbin) ? Optional.of(sbin) : Optional.empty();
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

  /** Writes {@code <dir>/nginx.conf}: {@code /} buffered, {@code /stream/} unbuffered. */
  static Path writeConfig(Path dir, int listenPort, int upstreamPort) throws IOException {
    for (String sub : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"}) {
      Path d = Files.createDirectories(dir.resolve(sub));
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String conf = """
        worker_processes auto;
        error_log %1$s/logs/error.log warn;
        pid %1$s/nginx.pid;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
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
        """.formatted(dir, listenPort, upstreamPort, STREAM_PREFIX);
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    return file;
  }
}
