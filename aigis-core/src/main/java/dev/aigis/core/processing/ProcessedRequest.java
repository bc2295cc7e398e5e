package dev.aigis.core.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The request as processors see and change it. Owned by one exchange; not thread-safe. The body is
 * null when no processor asked for it (it then streams to the upstream untouched). {@link #json()}
 * parses the body once and caches the tree until the body is replaced.
 */
public final class ProcessedRequest {

  private final String method;
  private String path;
  private final MutableHeaders headers;
  private byte[] body;
  private JsonNode json;
  private boolean bodyChanged;
  private String model;
  private final ExchangeContext context;

  /** A request outside any front door (tests, benchmarks): its context renders errors as OpenAI does. */
  public ProcessedRequest(String method, String path, MutableHeaders headers, byte[] body, String model) {
    this(new ExchangeContext("-", dev.aigis.core.api.ApiEndpoint.PASSTHROUGH, null), method, path, headers, body, model);
  }

  public ProcessedRequest(ExchangeContext context, String method, String path, MutableHeaders headers, byte[] body,
      String model) {
    this.context = context;
    context.attach(this);
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.model = model;
  }

  /** The exchange this request belongs to: client API, route, attributes, pivot view, workers. */
  public ExchangeContext context() {
    return context;
  }

  public String method() {
    return method;
  }

  /** The path, without the query string. */
  public String path() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public MutableHeaders headers() {
    return headers;
  }

  /** The buffered body, or null when the body was not buffered. */
  public byte[] body() {
    return body;
  }

  public boolean hasBody() {
    return body != null;
  }

  /** Replaces the body; the data plane recomputes {@code Content-Length}. */
  public void setBody(byte[] body) {
    this.body = body;
    this.json = null;
    this.bodyChanged = true;
    context.bodyReplaced();
  }

  public boolean bodyChanged() {
    return bodyChanged;
  }

  /** The body parsed as JSON (cached), or a missing node when there is no body or it is not JSON. */
  public JsonNode json() {
    if (json == null) {
      if (body == null || body.length == 0) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
      try {
        json = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
    }
    return json;
  }

  /** Sets the JSON tree as the new body (serialised now, so later readers see bytes and tree agree). */
  public void setJson(JsonNode tree) {
    try {
      setBody(Json.MAPPER.writeValueAsBytes(tree));
      this.json = tree;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model the request names (from the body), or null. */
  public String model() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }
}
