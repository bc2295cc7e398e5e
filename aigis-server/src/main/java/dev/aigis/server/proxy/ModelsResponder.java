package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/** {@code GET /v1/models}: the models the routes on this port serve (those the caller may use), in OpenAI's list shape. */
final class ModelsResponder {

  private ModelsResponder() {}

  static void respond(Exchange exchange, List<String> models, ExchangeCompletion completion) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (String model : models) {
      data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", "aigis");
    }
    byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.bytesOut = bytes.length;
    exchange.request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("x-request-id", exchange.requestId)
        .end(Buffer.buffer(bytes));
    completion.succeeded(exchange);
  }
}
