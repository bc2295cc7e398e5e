package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.backend.BackendAuth;
import dev.aigis.core.provider.CallsTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.snapshot.ResolvedBackend;
import io.vertx.core.http.HttpHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON request (embeddings, rerank) to a backend with another API for it: translated, sent on
 * the upstream leg (as one call, or several in order when the backend embeds one text per call),
 * the answers read whole and returned as one answer in the client's format through the usual
 * response head.
 */
final class TranslatedCalls {

  private final UpstreamLeg leg;
  private final EventRelay relay;
  private final ResponseHead head;
  private final ExchangeCompletion completion;

  TranslatedCalls(UpstreamLeg leg, EventRelay relay, ResponseHead head, ExchangeCompletion completion) {
    this.leg = leg;
    this.relay = relay;
    this.head = head;
    this.completion = completion;
  }

  void send(Exchange exchange, CallsTranslator translator) {
    ResolvedBackend backend = exchange.backend().backend();
    BackendEndpoint.Url url = (BackendEndpoint.Url) backend.backend().endpoint();
    leg.withCredential(exchange, backend, credential -> {
      List<UpstreamCall> calls;
      try {
        if (!(Json.MAPPER.readTree(exchange.processed.body()) instanceof ObjectNode request)) {
          throw new IOException("not an object");
        }
        String override = backend.backend().modelNameOverride();
        String model = override != null ? override : request.path("model").asText(null);
        BackendAuth auth = BackendAuth.of(backend);
        calls = translator.request(request, new BackendCall(model, false, url.basePath())).stream()
            .map(call -> auth.authorize(call, credential)).toList();
      } catch (TranslationException e) {
        completion.fail(exchange, e.error());
        return;
      } catch (IOException e) {
        completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
        return;
      }
      next(exchange, backend, translator, calls, new ArrayList<>());
    });
  }

  /** Sends the next call, or, all answered, translates the answers and responds. */
  private void next(Exchange exchange, ResolvedBackend backend, CallsTranslator translator, List<UpstreamCall> calls,
      List<byte[]> answers) {
    if (answers.size() == calls.size()) {
      byte[] out;
      try {
        out = Json.MAPPER.writeValueAsBytes(translator.response(answers));
      } catch (TranslationException e) {
        completion.fail(exchange, e.error());
        return;
      } catch (IOException e) {
        completion.fail(exchange, new GatewayError.Internal("Internal gateway error"));
        return;
      }
      exchange.usage = translator.usage();
      exchange.request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
      head.open(exchange, 200, false, writer -> {
        writer.offer(out, null);
        writer.finish();
      });
      return;
    }
    leg.call(exchange, backend, false, calls.get(answers.size()), upstream -> relay.readWhole(exchange, upstream, bytes -> {
      if (upstream.statusCode() / 100 != 2) {
        completion.fail(exchange, translator.upstreamError(upstream.statusCode(), bytes));
        return;
      }
      answers.add(bytes);
      next(exchange, backend, translator, calls, answers);
    }), error -> completion.fail(exchange, error));
  }
}
