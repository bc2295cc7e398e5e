package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.snapshot.ResolvedBackend;
import dev.aigis.server.processing.VertxMutableHeaders;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.server.gcp.VertexTokens;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Sends an exchange whose client API and backend schema differ: the client's request becomes the
 * OpenAI pivot ({@link InboundCodec}), then the backend's request ({@link BackendTranslator}); the
 * backend's answer (plain, or streamed in its own framing) comes back as pivot chunks and leaves in
 * the client's format, event by event, with backpressure. Provider errors, including those sent
 * inside an HTTP 200 stream, reach the client as errors in its own format.
 */
final class TranslatingProxy {

  /** A non-streamed answer is read whole to translate it; this bounds it. */
  private static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

  private final Vertx vertx;
  private final UpstreamClients clients;
  private final ExchangeCompletion completion;
  private final ChainRunner chains;
  private final VertexTokens vertexTokens;

  TranslatingProxy(Vertx vertx, UpstreamClients clients, ExchangeCompletion completion, ChainRunner chains) {
    this.vertx = vertx;
    this.clients = clients;
    this.completion = completion;
    this.chains = chains;
    this.vertexTokens = new VertexTokens(vertx, InstantSource.system());
  }

  /**
   * Obtains the backend's credential (its key, or for GCPVertexAI an OAuth access token, usually
   * cached), then translates and sends. The token may arrive on another thread: the rest runs back
   * on the exchange's context.
   */
  void forward(Exchange exchange, BackendEndpoint.Url url, RequestBody body, InboundCodec codec, BackendTranslator translator) {
    withCredential(exchange, credential -> send(exchange, url, body, codec, translator, credential));
  }

  /**
   * An OpenAI embeddings request to a backend with another embeddings API: translated, sent (as
   * one call, or several in order when the backend embeds one text per call), the answers read
   * whole and returned as one OpenAI {@code list}.
   */
  void forwardEmbeddings(Exchange exchange, BackendEndpoint.Url url, RequestBody body, EmbeddingsTranslator translator) {
    withCredential(exchange, credential -> sendEmbeddings(exchange, url, body, translator, credential));
  }

  private void withCredential(Exchange exchange, java.util.function.Consumer<String> then) {
    ResolvedBackend backend = exchange.backend.backend();
    if (backend.backend().schema() != ApiSchema.GCPVertexAI) {
      then.accept(backend.apiKey());
      return;
    }
    Context context = vertx.getOrCreateContext();
    Future<String> token;
    try {
      token = vertexTokens.source(backend).token();
    } catch (RuntimeException e) { // a key that parsed as JSON but is no RSA key
      completion.fail(exchange, tokenError(exchange, e.getMessage()));
      return;
    }
    token.onComplete(ar -> {
      Runnable next = () -> {
        if (exchange.finished()) {
          return;
        }
        if (ar.failed()) {
          completion.fail(exchange, tokenError(exchange, ar.cause().getMessage()));
        } else {
          then.accept(ar.result());
        }
      };
      if (Vertx.currentContext() == context) {
        next.run();
      } else {
        context.runOnContext(v -> next.run());
      }
    });
  }

  private static GatewayError tokenError(Exchange exchange, String detail) {
    return new GatewayError.ProviderError(502, "authentication_error", "token_unavailable",
        "Cannot obtain a Vertex AI access token for backend " + exchange.backendName() + ": " + detail, "gcp.vertex_ai");
  }

  private void send(Exchange exchange, BackendEndpoint.Url url, RequestBody body, InboundCodec codec,
      BackendTranslator translator, String credential) {
    ResolvedBackend backend = exchange.backend.backend();
    UpstreamCall call;
    try {
      JsonNode clientRequest = Json.MAPPER.readTree(body.bytes());
      ObjectNode pivot = codec.toPivot(clientRequest);
      String override = backend.backend().modelNameOverride();
      String model = override != null ? override : pivot.path("model").asText(null);
      call = translator.chatRequest(pivot, new BackendCall(model, exchange.body.stream(), credential, url.basePath()));
    } catch (TranslationException e) {
      completion.fail(exchange, e.error());
      return;
    } catch (IOException e) {
      completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      return;
    }
    call(exchange, url, call, upstream -> answer(exchange, upstream, codec, translator));
  }

  /** Sends one upstream call with the exchange's end-to-end headers and the call's own; {@code then} gets the answer's head. */
  private void call(Exchange exchange, BackendEndpoint.Url url, UpstreamCall call,
      java.util.function.Consumer<HttpClientResponse> then) {
    ResolvedBackend backend = exchange.backend.backend();
    exchange.upstreamStatus = 0;
    var options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setURI(call.pathAndQuery())
        .setIdleTimeout(backend.timeouts().idle().toMillis());
    long headerTimeout = backend.timeouts().response().toMillis();
    clients.client(UpstreamClients.EndpointKey.of(url, backend.timeouts().connect())).request(options).onComplete(ar -> {
      if (exchange.finished()) {
        if (ar.succeeded()) {
          ar.result().reset();
        }
        return;
      }
      if (ar.failed()) {
        completion.fail(exchange, new GatewayError.UpstreamUnreachable(exchange.backendName()));
        return;
      }
      HttpClientRequest upstream = ar.result();
      exchange.upstream = upstream;
      MultiMap headers = upstream.headers();
      forwardEndToEndHeaders(exchange, headers);
      headers.set(HttpHeaders.HOST, url.authority());
      headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
      headers.set(HttpHeaders.ACCEPT_ENCODING, "identity");
      headers.set("x-request-id", exchange.requestId);
      for (Map.Entry<String, String> header : call.headers().entrySet()) {
        headers.set(header.getKey(), header.getValue());
      }
      long timer = vertx.setTimer(headerTimeout, id -> {
        if (!exchange.finished() && exchange.upstreamStatus == 0) {
          completion.fail(exchange, new GatewayError.UpstreamTimeout(exchange.backendName(), headerTimeout));
          upstream.reset();
        }
      });
      upstream.send(Buffer.buffer(call.body())).onComplete(res -> {
        vertx.cancelTimer(timer);
        if (exchange.finished()) {
          return;
        }
        if (res.failed()) {
          completion.fail(exchange, res.cause() instanceof TimeoutException
              ? new GatewayError.UpstreamTimeout(exchange.backendName(), headerTimeout)
              : new GatewayError.UpstreamUnreachable(exchange.backendName()));
          return;
        }
        then.accept(res.result());
      });
    });
  }

  private void sendEmbeddings(Exchange exchange, BackendEndpoint.Url url, RequestBody body,
      EmbeddingsTranslator translator, String credential) {
    ResolvedBackend backend = exchange.backend.backend();
    List<UpstreamCall> calls;
    try {
      if (!(Json.MAPPER.readTree(body.bytes()) instanceof ObjectNode request)) {
        throw new IOException("not an object");
      }
      String override = backend.backend().modelNameOverride();
      String model = override != null ? override : request.path("model").asText(null);
      calls = translator.request(request, new BackendCall(model, false, credential, url.basePath()));
    } catch (TranslationException e) {
      completion.fail(exchange, e.error());
      return;
    } catch (IOException e) {
      completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      return;
    }
    embedNext(exchange, url, translator, calls, new ArrayList<>());
  }

  /** Sends the next embeddings call, or, all answered, translates the answers and responds. */
  private void embedNext(Exchange exchange, BackendEndpoint.Url url, EmbeddingsTranslator translator,
      List<UpstreamCall> calls, List<byte[]> answers) {
    if (answers.size() == calls.size()) {
      try {
        ObjectNode list = translator.response(answers);
        exchange.usage = translator.usage();
        writeWhole(exchange, Json.MAPPER.writeValueAsBytes(list));
      } catch (TranslationException e) {
        completion.fail(exchange, e.error());
      } catch (IOException e) {
        completion.fail(exchange, new GatewayError.Internal("Internal gateway error"));
      }
      return;
    }
    call(exchange, url, calls.get(answers.size()), upstream -> {
      exchange.upstreamStatus = upstream.statusCode();
      readWhole(exchange, upstream, bytes -> {
        if (upstream.statusCode() / 100 != 2) {
          completion.fail(exchange, translator.upstreamError(upstream.statusCode(), bytes));
          return;
        }
        answers.add(bytes);
        embedNext(exchange, url, translator, calls, answers);
      });
    });
  }

  /** A whole translated JSON answer, through the response processors when any look at responses. */
  private void writeWhole(Exchange exchange, byte[] out) {
    HttpServerResponse response = exchange.request.response();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader("x-request-id", exchange.requestId);
    completion.decorate(exchange, response);
    withResponseProcessors(exchange, null, writer -> {
      if (writer == null) {
        exchange.bytesOut += out.length;
        response.end(Buffer.buffer(out));
        completion.succeeded(exchange);
      } else {
        writer.offer(out);
        writer.finish();
      }
    });
  }

  /**
   * The client's (or processors') own headers go on, so tracing and tenant headers survive
   * translation; what describes the client API itself (its credentials, version and framing) does
   * not, since the backend speaks another API and gets its own from the translator.
   */
  private static void forwardEndToEndHeaders(Exchange exchange, MultiMap out) {
    Iterable<Map.Entry<String, String>> source =
        exchange.processed != null ? exchange.processed.headers().entries() : exchange.request.headers();
    for (Map.Entry<String, String> header : source) {
      String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
      if (HopByHop.is(name) || CLIENT_API_HEADERS.contains(name) || name.startsWith("anthropic-")
          || name.startsWith("openai-") || name.startsWith("x-stainless-")) {
        continue;
      }
      out.add(header.getKey(), header.getValue());
    }
  }

  private static final java.util.Set<String> CLIENT_API_HEADERS = java.util.Set.of(
      "host", "content-length", "content-type", "accept", "accept-encoding", "authorization", "x-api-key", "api-key");

  private void answer(Exchange exchange, HttpClientResponse upstream, InboundCodec codec, BackendTranslator translator) {
    exchange.upstreamStatus = upstream.statusCode();
    if (upstream.statusCode() / 100 != 2 || !exchange.body.stream()) {
      readWhole(exchange, upstream, body -> {
        if (upstream.statusCode() / 100 != 2) {
          completion.fail(exchange, translator.upstreamError(upstream.statusCode(), body));
          return;
        }
        try {
          ObjectNode pivot = translator.chatResponse(body);
          exchange.usage = translator.usage();
          writeWhole(exchange, codec.fromPivot(pivot));
        } catch (TranslationException e) {
          completion.fail(exchange, e.error());
        }
      });
      return;
    }
    upstream.pause();
    withResponseProcessors(exchange, upstream, writer -> {
      new TranslatedStream(exchange, upstream, codec, translator, completion, writer).start();
      upstream.resume();
    });
  }

  /**
   * Runs the response-header stages of the exchange's processors (if any look at responses), then
   * hands the body writer to {@code then}: null when no processor looks at responses, so the
   * translated answer is written directly. {@code stream} is the upstream of a streamed answer
   * (paused while processors work), or null for a whole answer.
   */
  private void withResponseProcessors(Exchange exchange, HttpClientResponse stream,
      java.util.function.Consumer<ProcessedBodyWriter> then) {
    boolean sse = stream != null;
    ResponseProcessing processing = exchange.processed == null ? null : ResponseProcessing.of(exchange);
    if (processing == null) {
      then.accept(null);
      return;
    }
    HttpServerResponse response = exchange.request.response();
    response.putHeader(HttpHeaders.CONTENT_TYPE, sse ? "text/event-stream" : "application/json");
    var processedResponse = new ProcessedResponse(exchange.upstreamStatus, new VertxMutableHeaders(response.headers()));
    processedResponse.setUsage(exchange.usage);
    processing.headers(exchange, processedResponse).whenComplete((outcome, failure) -> {
      if (exchange.finished()) {
        return;
      }
      switch (outcome) {
        case ChainOutcome.Proceed p when failure == null -> {
          response.setStatusCode(processedResponse.status()).setChunked(true);
          then.accept(new ProcessedBodyWriter(exchange, processing, processedResponse, response, stream, completion, sse));
        }
        case ChainOutcome.Respond respond when failure == null -> {
          if (exchange.upstream != null) {
            exchange.upstream.reset();
          }
          response.headers().clear();
          chains.immediate(exchange, respond.response());
        }
        case ChainOutcome.Fail fail when failure == null -> completion.fail(exchange, fail.error());
        case null, default -> completion.fail(exchange, new GatewayError.Internal("Internal gateway error"));
      }
    });
  }

  private void readWhole(Exchange exchange, HttpClientResponse upstream, java.util.function.Consumer<byte[]> then) {
    Buffer collected = Buffer.buffer();
    upstream.handler(chunk -> {
      if (collected.length() + chunk.length() > MAX_ANSWER_BYTES) {
        completion.fail(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(), "answer too large to translate"));
        upstream.request().reset();
        return;
      }
      collected.appendBuffer(chunk);
    });
    upstream.exceptionHandler(err -> completion.fail(exchange,
        new GatewayError.UpstreamProtocolError(exchange.backendName(), "connection lost mid-body")));
    upstream.endHandler(v -> {
      if (!exchange.finished()) {
        then.accept(collected.getBytes());
      }
    });
  }
}
