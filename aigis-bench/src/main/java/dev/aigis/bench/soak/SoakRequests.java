package dev.aigis.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The request of each scenario, built once: the client API's body (from this package's
 * resources) with {@code stream}, the fault's changes to it, the API's headers and the upstream
 * script. Read-only after construction; shared by every request of the driver's event loop.
 */
final class SoakRequests {

  /** The gateway's default {@code --max-body-bytes} (2 MiB) plus 1 KiB. */
  static final int OVERSIZE_CONTENT_CHARS = 2 * 1024 * 1024 + 1024;
  static final String UNKNOWN_MODEL = "soak-no-such-model";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to send: where, with which headers, and the body. */
  record Prepared(RequestOptions options, Buffer body) {}

  private final Map<RequestMix.Scenario, Prepared> prepared = new HashMap<>();

  SoakRequests(int port) {
    Map<ClientApi, ObjectNode> bodies = new EnumMap<>(ClientApi.class);
    bodies.put(ClientApi.OPENAI, load("openai-request.json"));
    bodies.put(ClientApi.ANTHROPIC, load("anthropic-request.json"));
    for (RequestMix.Scenario s : RequestMix.all()) {
      prepared.put(s, new Prepared(options(port, s), Buffer.buffer(body(bodies.get(s.kind().api()), s))));
    }
  }

  Prepared get(RequestMix.Scenario scenario) {
    return prepared.get(scenario);
  }

  /** The body bytes of {@code scenario}: the API's request, changed as the fault says. */
  static byte[] body(ObjectNode template, RequestMix.Scenario s) {
    ObjectNode body = template.deepCopy();
    if (s.kind().stream()) {
      body.put("stream", true);
    }
    switch (s.fault()) {
      case UNKNOWN_MODEL -> body.put("model", UNKNOWN_MODEL);
      case OVERSIZE_BODY -> {
        ArrayNode messages = body.withArray("messages");
        ((ObjectNode) messages.get(messages.size() - 1)).put("content", "x".repeat(OVERSIZE_CONTENT_CHARS));
      }
      default -> { }
    }
    byte[] bytes = write(body);
    // cut halfway: well-formed up to there, then the input ends
    return s.fault() == Fault.MALFORMED_JSON ? Arrays.copyOf(bytes, bytes.length / 2) : bytes;
  }

  private static RequestOptions options(int port, RequestMix.Scenario s) {
    var options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(s.kind().api().path()).putHeader("content-type", "application/json")
        // a request the gateway never finishes fails after this rather than holding the run
        .setIdleTimeout(30_000);
    switch (s.kind().api()) {
      case OPENAI -> options.putHeader("authorization", "Bearer sk-soak-client");
      case ANTHROPIC -> options.putHeader("x-api-key", "sk-soak-client").putHeader("anthropic-version", "2023-06-01");
    }
    String script = s.fault().upstreamScript(s.kind());
    if (script != null) {
      options.putHeader("x-fake-behavior", script);
    }
    return options;
  }

  static ObjectNode load(String resource) {
    try (InputStream in = SoakRequests.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
