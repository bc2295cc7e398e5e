package dev.aigis.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.TranslationException;
import java.io.IOException;

/**
 * The request in the OpenAI chat pivot (messages with roles and parts, tools, model, sampling),
 * whatever the client's API: built on first use from the buffered body, so exchanges whose
 * processors never ask pay nothing. A processor that edits the tree calls {@link #edited()}; the
 * backend adapter then builds the upstream request from the pivot instead of the client's body.
 * Replacing the body bytes afterwards (a later processor) drops the view: the newest edit wins.
 */
public final class PivotView {

  private final ExchangeContext context;
  private ObjectNode pivot;
  private boolean edited;

  PivotView(ExchangeContext context) {
    this.context = context;
  }

  /**
   * The pivot request, mutable.
   *
   * @throws TranslationException when the endpoint has no pivot form (embeddings, passthrough),
   *     the body was not buffered, or it does not translate (its error names the field)
   */
  public ObjectNode request() throws TranslationException {
    if (pivot == null) {
      InboundCodec codec = InboundCodecs.of(context.endpoint(),
          context.request() == null ? null : context.request().model());
      byte[] body = context.request() == null ? null : context.request().body();
      if (codec == null || body == null) {
        throw new TranslationException(new GatewayError.InvalidRequest(
            "this request has no chat form for processors to read", null));
      }
      JsonNode tree;
      try {
        tree = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new TranslationException(new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      }
      pivot = codec.toPivot(tree);
    }
    return pivot;
  }

  /**
   * The pivot request, or null when this request has none (embeddings, passthrough paths, a body
   * that does not translate, which the front door reports to the client itself): what processors
   * that only work on chats ask, skipping the rest.
   */
  public ObjectNode requestOrNull() {
    try {
      return request();
    } catch (TranslationException e) {
      return null;
    }
  }

  /** Marks the pivot as changed: the upstream request is built from it. */
  public void edited() {
    if (pivot == null) {
      throw new IllegalStateException("edited() before request()");
    }
    edited = true;
  }

  public boolean isEdited() {
    return edited;
  }

  /** The edited pivot, or null when no processor edited it. */
  public ObjectNode editedOrNull() {
    return edited ? pivot : null;
  }

  void bodyReplaced() {
    pivot = null;
    edited = false;
  }
}
