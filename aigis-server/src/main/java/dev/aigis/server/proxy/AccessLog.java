package dev.aigis.server.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code aigis.access} logger. It carries what operators need to
 * account and debug (route, backend, model, status, timings, tokens) and never the prompt, the
 * answer, the query string or any credential.
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("aigis.access");

  private AccessLog() {}

  static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  static void write(ExchangeRecord r) {
    var out = new StringWriter(320);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", java.time.Instant.ofEpochMilli(r.startEpochMillis()).toString());
      g.writeStringField("request_id", r.requestId());
      g.writeStringField("method", r.method());
      g.writeStringField("path", r.path());
      g.writeNumberField("status", r.status());
      g.writeNumberField("duration_ms", r.durationNanos() / 1_000_000.0);
      if (r.ttftNanos() >= 0) {
        g.writeNumberField("ttft_ms", r.ttftNanos() / 1_000_000.0);
      }
      writeNullable(g, "caller", r.caller());
      writeNullable(g, "route", r.route());
      writeNullable(g, "backend", r.backend());
      writeNullable(g, "model", r.model());
      writeNullable(g, "operation", r.operation());
      g.writeBooleanField("stream", r.stream());
      if (r.upstreamStatus() > 0) {
        g.writeNumberField("upstream_status", r.upstreamStatus());
      }
      if (r.usage() != null) {
        g.writeNumberField("input_tokens", r.usage().input());
        g.writeNumberField("output_tokens", r.usage().output());
      }
      g.writeNumberField("bytes_in", r.bytesIn());
      g.writeNumberField("bytes_out", r.bytesOut());
      writeNullable(g, "error", r.errorCode());
      writeNullable(g, "upstream_violation", r.upstreamViolation());
      writeNullable(g, "guardrails", r.guardrails());
      writeNullable(g, "route_reason", r.routeReason());
      g.writeEndObject();
    } catch (IOException e) {
      return; // a StringWriter does not fail
    }
    LOG.info(out.toString());
  }

  private static void writeNullable(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
