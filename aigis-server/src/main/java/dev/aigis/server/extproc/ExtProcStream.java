package dev.aigis.server.extproc;

import com.google.protobuf.ByteString;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseException;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One ext_proc stream, which Envoy opens per HTTP exchange: maps its messages onto a
 * {@link GatewayExchange} and answers each in order.
 *
 * <p>Request: the chain runs once, on the whole request. Without a body to wait for (the chain
 * needs none, or {@code end_of_stream} on the headers) it runs at {@code request_headers}.
 * Otherwise the headers get a bare CONTINUE with a {@code mode_override} asking for a BUFFERED
 * request body; the body messages are collected until {@code end_of_stream} (one message when
 * Envoy buffers; several when it streams anyway, whose answers are held back: Envoy queues
 * streamed chunks and matches answers in order) and the last one is answered with the mutations.
 * A streamed body that changed is sent as {@code clear_body} for the held chunks and the whole new
 * body in the last.
 *
 * <p>Response: the head goes through the chains' response-header stages. Body chunks go through
 * the response-chunk stages only if a processor asks for the body: an event stream as whole SSE
 * events (a partial event is held until it completes), a non-SSE body chunk by chunk, or, when a
 * processor wants it BUFFERED, collected into one chunk. Each body message is answered with what
 * the chain emitted for it; after the chain ends the stream ({@code End}) the remaining messages
 * are answered with {@code clear_body}, so the client sees the final bytes last, as in the data
 * plane.
 *
 * <p>Threading: every callback is queued on the stream's {@link SerialExecutor}; messages are
 * handled one at a time, and one that arrives while the chain is still busy (a streamed chunk
 * Envoy sent without waiting) waits in {@code inbox}. Envoy's flow control bounds that queue.
 */
final class ExtProcStream implements StreamObserver<ProcessingRequest> {

  private static final System.Logger LOG = System.getLogger(ExtProcStream.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final byte[] EMPTY = new byte[0];
  /** Headers the stream owns rather than the diff: Envoy will not change Host, Content-Length follows the body. */
  private static final List<String> REQUEST_OWNED = List.of("host", "content-length");
  private static final List<String> RESPONSE_OWNED = List.of("content-length");

  private enum RequestState { HEADERS, BODY, DONE }

  private final GatewayChains chains;
  private final ServerCallStreamObserver<ProcessingResponse> out;
  private final SerialExecutor executor;
  private final GatewayExchange exchange;
  private final ExtProcServer.Limits limits;

  // Everything below is touched only by tasks on the serial executor.
  private final ArrayDeque<ProcessingRequest> inbox = new ArrayDeque<>(2);
  private boolean busy;
  private boolean halfClosed;
  private boolean finished;
  private boolean observability;
  private boolean immediateSent;

  private RequestState requestState = RequestState.HEADERS;
  private String method = "";
  private String originalPath = "";
  private String query = "";
  private HeaderList requestHeaders = new HeaderList();
  private Map<String, List<String>> requestBefore = Map.of();
  private ProcessedRequest request;
  private ByteArrayOutputStream body;
  /** Body messages (request or response) collected but not answered yet. */
  private int heldMessages;

  private ProcessedResponse response;
  private boolean sse;
  private SseDecoder decoder;
  private final List<byte[]> decoded = new ArrayList<>(4);
  private byte[] sseTail = EMPTY;
  private boolean responseEnded;
  private boolean responsePassThrough;

  ExtProcStream(GatewayChains chains, ServerCallStreamObserver<ProcessingResponse> out, SerialExecutor executor,
      GatewayExchange exchange, ExtProcServer.Limits limits) {
    this.chains = chains;
    this.out = out;
    this.executor = executor;
    this.exchange = exchange;
    this.limits = limits;
    // Also makes onNext after a cancellation a no-op instead of an exception.
    out.setOnCancelHandler(() -> executor.execute(this::cancelled));
  }

  // ---- gRPC callbacks (any thread) ----

  @Override
  public void onNext(ProcessingRequest message) {
    executor.execute(() -> {
      if (!finished) {
        inbox.add(message);
        pump();
      }
    });
  }

  @Override
  public void onError(Throwable t) {
    executor.execute(this::cancelled);
  }

  @Override
  public void onCompleted() {
    executor.execute(() -> {
      halfClosed = true;
      pump();
    });
  }

  // ---- the stream's life ----

  private void pump() {
    while (!busy && !finished) {
      ProcessingRequest next = inbox.poll();
      if (next == null) {
        if (halfClosed) {
          finished = true;
          exchange.close();
          out.onCompleted();
        }
        return;
      }
      CompletionStage<Void> handled;
      try {
        handled = handle(next);
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      if (handled instanceof CompletableFuture<Void> f && f.isDone()) {
        if (f.isCompletedExceptionally()) {
          fail(f.exceptionNow());
          return;
        }
        continue;
      }
      busy = true;
      handled.whenComplete((v, e) -> executor.execute(() -> {
        busy = false;
        if (e != null) {
          fail(e);
        } else {
          pump();
        }
      }));
    }
  }

  /** Envoy cancelled the stream (client gone, timeout) or it broke: the exchange is over. */
  private void cancelled() {
    if (!finished) {
      finished = true;
      inbox.clear();
      exchange.close();
    }
  }

  /** A bug of ours: Envoy sees the stream fail and applies its failure_mode_allow. */
  private void fail(Throwable e) {
    if (finished) {
      return;
    }
    LOG.log(System.Logger.Level.ERROR, "ext_proc stream failed", e);
    finished = true;
    inbox.clear();
    exchange.close();
    out.onError(Status.INTERNAL.withDescription("aigis ext_proc: " + e.getClass().getSimpleName()).asRuntimeException());
  }

  private void send(ProcessingResponse.Builder response) {
    // observability_mode: Envoy ignores answers, so none are sent; processors still run.
    if (!finished && !observability) {
      out.onNext(response.build());
    }
  }

  private CompletionStage<Void> handle(ProcessingRequest message) {
    observability = message.getObservabilityMode();
    if (immediateSent) {
      return DONE; // Envoy sends nothing after an immediate response; ignore stragglers
    }
    return switch (message.getRequestCase()) {
      case REQUEST_HEADERS -> requestHeaders(message.getRequestHeaders());
      case REQUEST_BODY -> requestBody(message.getRequestBody());
      case REQUEST_TRAILERS -> requestTrailers();
      case RESPONSE_HEADERS -> responseHeaders(message.getResponseHeaders());
      case RESPONSE_BODY -> responseBody(message.getResponseBody());
      case RESPONSE_TRAILERS -> {
        send(ProcessingResponse.newBuilder().setResponseTrailers(TrailersResponse.getDefaultInstance()));
        yield DONE;
      }
      case REQUEST_NOT_SET -> DONE;
    };
  }

  // ---- request ----

  private CompletionStage<Void> requestHeaders(HttpHeaders message) {
    String path = "/";
    String authority = null;
    requestHeaders = new HeaderList();
    for (HeaderValue header : message.getHeaders().getHeadersList()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      String value = HeaderDiff.value(header);
      switch (name) {
        case ":method" -> method = value;
        case ":path" -> path = value;
        case ":authority" -> authority = value;
        default -> {
          if (!name.startsWith(":")) {
            requestHeaders.add(name, value);
          }
        }
      }
    }
    if (authority != null && requestHeaders.get("host") == null) {
      requestHeaders.add("host", authority);
    }
    int q = path.indexOf('?');
    originalPath = q < 0 ? path : path.substring(0, q);
    query = q < 0 ? "" : path.substring(q);
    requestBefore = HeaderDiff.snapshot(requestHeaders);
    if (chains.requestBodyBuffered() && !message.getEndOfStream()) {
      requestState = RequestState.BODY;
      body = new ByteArrayOutputStream();
      send(ProcessingResponse.newBuilder()
          .setRequestHeaders(HeadersResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance()))
          .setModeOverride(modeOverride()));
      return DONE;
    }
    requestState = RequestState.DONE;
    request = new ProcessedRequest(method, originalPath, requestHeaders, null, null);
    return exchange.request(request).thenAccept(outcome -> {
      if (outcome instanceof ChainOutcome.Proceed) {
        send(ProcessingResponse.newBuilder().setRequestHeaders(HeadersResponse.newBuilder().setResponse(requestMutations())));
      } else {
        immediate(outcome);
      }
    });
  }

  /**
   * The whole processing mode, since Envoy replaces its mode with the override: the request body
   * BUFFERED, the response as the chains need it, no trailers.
   */
  private ProcessingMode modeOverride() {
    boolean responseHeaders = chains.responseHeaders() || chains.responseBody() != BodyMode.NONE;
    return ProcessingMode.newBuilder()
        .setRequestHeaderMode(HeaderSendMode.SEND)
        .setRequestBodyMode(BodySendMode.BUFFERED)
        .setRequestTrailerMode(HeaderSendMode.SKIP)
        .setResponseHeaderMode(responseHeaders ? HeaderSendMode.SEND : HeaderSendMode.SKIP)
        .setResponseBodyMode(switch (chains.responseBody()) {
          case NONE -> BodySendMode.NONE;
          case BUFFERED -> BodySendMode.BUFFERED;
          case STREAMED -> BodySendMode.STREAMED;
        })
        .setResponseTrailerMode(HeaderSendMode.SKIP)
        .build();
  }

  private CompletionStage<Void> requestBody(HttpBody message) {
    if (requestState != RequestState.BODY) {
      // Not needed (or the chain already ran): Envoy sent it anyway, as configured.
      send(ProcessingResponse.newBuilder().setRequestBody(BodyResponse.getDefaultInstance()));
      return DONE;
    }
    body.writeBytes(message.getBody().toByteArray());
    heldMessages++;
    if (body.size() > limits.maxRequestBodyBytes()) {
      requestState = RequestState.DONE;
      body = null;
      heldMessages = 0;
      immediate(new ChainOutcome.Fail(new GatewayError.BodyTooLarge(limits.maxRequestBodyBytes())));
      return DONE;
    }
    return message.getEndOfStream() ? finishRequest() : DONE;
  }

  private CompletionStage<Void> requestTrailers() {
    // With trailers the last body message has end_of_stream false: the body ends here.
    CompletionStage<Void> finished = requestState == RequestState.BODY ? finishRequest() : DONE;
    return finished.thenRun(() -> {
      if (!immediateSent) {
        send(ProcessingResponse.newBuilder().setRequestTrailers(TrailersResponse.getDefaultInstance()));
      }
    });
  }

  /** Runs the chain on the collected body and answers the held body messages, the mutations with the last. */
  private CompletionStage<Void> finishRequest() {
    requestState = RequestState.DONE;
    byte[] bytes = body.toByteArray();
    body = null;
    int held = heldMessages;
    heldMessages = 0;
    request = new ProcessedRequest(method, originalPath, requestHeaders, bytes, null);
    request.setModel(request.json().path("model").textValue());
    return exchange.request(request).thenAccept(outcome -> {
      if (!(outcome instanceof ChainOutcome.Proceed)) {
        immediate(outcome);
        return;
      }
      boolean replace = request.bodyChanged();
      for (int i = 0; i < held - 1; i++) {
        send(ProcessingResponse.newBuilder().setRequestBody(replace ? clearBody() : BodyResponse.getDefaultInstance()));
      }
      if (held == 0) {
        LOG.log(System.Logger.Level.DEBUG, "request ended without a body message; mutations have no message to ride on");
        return;
      }
      CommonResponse.Builder common = requestMutations();
      if (replace) {
        common.setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFrom(request.body())));
        HeaderMutation.Builder headers = common.getHeaderMutationBuilder();
        if (held == 1) {
          headers.addSetHeaders(HeaderDiff.overwrite("content-length", Integer.toString(request.body().length)));
        } else {
          headers.addRemoveHeaders("content-length"); // streamed: the length was sent with the headers
        }
      }
      send(ProcessingResponse.newBuilder().setRequestBody(BodyResponse.newBuilder().setResponse(common)));
    });
  }

  /** Header and path changes the chain made; any of them clears the route cache (routing may read them). */
  private CommonResponse.Builder requestMutations() {
    HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
    boolean changed = HeaderDiff.diff(requestBefore, HeaderDiff.snapshot(request.headers()), REQUEST_OWNED, mutation);
    if (!request.path().equals(originalPath)) {
      mutation.addSetHeaders(HeaderDiff.overwrite(":path", request.path() + query));
      changed = true;
    }
    CommonResponse.Builder common = CommonResponse.newBuilder();
    if (changed) {
      common.setHeaderMutation(mutation).setClearRouteCache(true);
    }
    return common;
  }

  // ---- response ----

  private CompletionStage<Void> responseHeaders(HttpHeaders message) {
    CompletionStage<Void> late = DONE;
    if (requestState == RequestState.BODY) {
      LOG.log(System.Logger.Level.WARNING, "Envoy sent the response before the request body the chain needs; "
          + "configure the ext_proc filter with allow_mode_override: true or request_body_mode: BUFFERED");
      late = finishRequest();
    } else if (request == null) {
      // request_header_mode SKIP: the request stages never ran.
      request = new ProcessedRequest(method, originalPath, requestHeaders, null, null);
    }
    return late.thenCompose(v -> immediateSent ? DONE : runResponseHeaders(message));
  }

  private CompletionStage<Void> runResponseHeaders(HttpHeaders message) {
    HeaderList headers = new HeaderList();
    int status = 200;
    for (HeaderValue header : message.getHeaders().getHeadersList()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.equals(":status")) {
        status = parseStatus(HeaderDiff.value(header));
      } else if (!name.startsWith(":")) {
        headers.add(name, HeaderDiff.value(header));
      }
    }
    Map<String, List<String>> before = HeaderDiff.snapshot(headers);
    String contentType = headers.get("content-type");
    sse = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    boolean hasBody = !message.getEndOfStream();
    int originalStatus = status;
    response = new ProcessedResponse(status, headers);
    return exchange.responseHeaders(request, response).thenAccept(outcome -> {
      if (!(outcome instanceof ChainOutcome.Proceed)) {
        immediate(outcome);
        return;
      }
      HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
      boolean changed = HeaderDiff.diff(before, HeaderDiff.snapshot(headers), RESPONSE_OWNED, mutation);
      if (response.status() != originalStatus) {
        mutation.addSetHeaders(HeaderDiff.overwrite(":status", Integer.toString(response.status())));
        changed = true;
      }
      if (hasBody && chains.responseBody() != BodyMode.NONE && headers.get("content-length") != null) {
        // Processors may change the length; a whole body sent in one message gets it back (below).
        mutation.addRemoveHeaders("content-length");
        changed = true;
      }
      CommonResponse.Builder common = CommonResponse.newBuilder();
      if (changed) {
        common.setHeaderMutation(mutation);
      }
      send(ProcessingResponse.newBuilder().setResponseHeaders(HeadersResponse.newBuilder().setResponse(common)));
    });
  }

  private static int parseStatus(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 200;
    }
  }

  private CompletionStage<Void> responseBody(HttpBody message) {
    if (responseEnded) {
      send(ProcessingResponse.newBuilder().setResponseBody(clearBody()));
      return DONE;
    }
    if (chains.responseBody() == BodyMode.NONE || response == null || responsePassThrough) {
      send(ProcessingResponse.newBuilder().setResponseBody(BodyResponse.getDefaultInstance()));
      return DONE;
    }
    byte[] bytes = message.getBody().toByteArray();
    boolean eos = message.getEndOfStream();
    if (sse) {
      return sseBody(bytes, eos);
    }
    if (chains.responseBody() == BodyMode.BUFFERED) {
      if (body == null) {
        body = new ByteArrayOutputStream();
      }
      body.writeBytes(bytes);
      heldMessages++;
      if (body.size() > limits.maxRequestBodyBytes()) {
        // Too large to hand over whole: let it through untouched rather than hold it all.
        LOG.log(System.Logger.Level.WARNING, "response body over {0} bytes passed through unprocessed",
            limits.maxRequestBodyBytes());
        responsePassThrough = true;
        for (int i = 0; i < heldMessages; i++) {
          send(ProcessingResponse.newBuilder().setResponseBody(BodyResponse.getDefaultInstance()));
        }
        heldMessages = 0;
        body = null;
        return DONE;
      }
      if (!eos) {
        return DONE;
      }
      byte[] whole = body.toByteArray();
      body = null;
      int held = heldMessages;
      heldMessages = 0;
      return runChunks(List.of(new ResponseChunk(whole, false, true)), held, whole);
    }
    return runChunks(List.of(new ResponseChunk(bytes, false, eos)), 1, bytes);
  }

  private CompletionStage<Void> sseBody(byte[] bytes, boolean eos) {
    if (decoder == null) {
      decoder = new SseDecoder(event -> decoded.add(event.raw()), limits.maxEventBytes());
    }
    decoded.clear();
    try {
      decoder.feed(bytes);
    } catch (SseException e) {
      GatewayError error = new GatewayError.UpstreamProtocolError("upstream", e.getMessage());
      responseEnded = true;
      answerChunks(OpenAiErrorRenderer.INSTANCE.streamEvent(error), 1, bytes, false);
      return DONE;
    }
    // The decoder holds the unfinished event; keep its bytes too, to pass on if the stream ends mid-event.
    int pending = decoder.pendingBytes();
    if (pending == 0) {
      sseTail = EMPTY;
    } else {
      byte[] combined = sseTail.length == 0 ? bytes : concat(sseTail, bytes);
      sseTail = Arrays.copyOfRange(combined, combined.length - pending, combined.length);
    }
    List<ResponseChunk> chunks = new ArrayList<>(decoded.size() + 1);
    for (int i = 0; i < decoded.size(); i++) {
      chunks.add(new ResponseChunk(decoded.get(i), true, eos && i == decoded.size() - 1 && sseTail.length == 0));
    }
    decoded.clear();
    if (eos && sseTail.length > 0) {
      chunks.add(new ResponseChunk(sseTail, false, true)); // a truncated event, as received
      sseTail = EMPTY;
    } else if (eos && chunks.isEmpty()) {
      chunks.add(new ResponseChunk(EMPTY, true, true));
    }
    return runChunks(chunks, 1, bytes);
  }

  /** Passes {@code chunks} through the chains one after the other and answers the {@code held} messages. */
  private CompletionStage<Void> runChunks(List<ResponseChunk> chunks, int held, byte[] original) {
    var emitted = new ByteArrayOutputStream(original.length);
    CompletionStage<Boolean> ended = CompletableFuture.completedFuture(false);
    for (ResponseChunk chunk : chunks) {
      ended = ended.thenCompose(stop -> stop ? CompletableFuture.completedFuture(true)
          : exchange.responseChunk(request, response, chunk).thenApply(outcome -> switch (outcome) {
            case ChunkOutcome.Write write -> {
              write.chunks().forEach(emitted::writeBytes);
              yield false;
            }
            case ChunkOutcome.End end -> {
              emitted.writeBytes(end.finalBytes());
              yield true;
            }
          }));
    }
    return ended.thenAccept(stop -> {
      responseEnded |= stop;
      boolean whole = held == 1 && chunks.size() == 1 && chunks.getFirst().endOfStream() && !chunks.getFirst().sseEvent()
          && chains.responseBody() == BodyMode.BUFFERED;
      answerChunks(emitted.toByteArray(), held, original, whole);
    });
  }

  /**
   * Answers {@code held} body messages whose bytes were {@code original} with {@code emitted}:
   * unchanged bytes as CONTINUE, otherwise the earlier messages cleared and the last one replaced.
   * A whole body in one message also gets its {@code content-length} back.
   */
  private void answerChunks(byte[] emitted, int held, byte[] original, boolean wholeBody) {
    boolean same = Arrays.equals(emitted, original);
    for (int i = 0; i < held - 1; i++) {
      send(ProcessingResponse.newBuilder().setResponseBody(same ? BodyResponse.getDefaultInstance() : clearBody()));
    }
    CommonResponse.Builder common = CommonResponse.newBuilder();
    if (!same) {
      common.setBodyMutation(emitted.length == 0 ? BodyMutation.newBuilder().setClearBody(true)
          : BodyMutation.newBuilder().setBody(ByteString.copyFrom(emitted)));
    }
    if (wholeBody) {
      common.setHeaderMutation(HeaderMutation.newBuilder()
          .addSetHeaders(HeaderDiff.overwrite("content-length", Integer.toString(emitted.length))));
    }
    send(ProcessingResponse.newBuilder().setResponseBody(BodyResponse.newBuilder().setResponse(common)));
  }

  private static BodyResponse clearBody() {
    return BodyResponse.newBuilder()
        .setResponse(CommonResponse.newBuilder().setBodyMutation(BodyMutation.newBuilder().setClearBody(true)))
        .build();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  // ---- immediate responses ----

  private void immediate(ChainOutcome outcome) {
    ImmediateResponse.Builder reply = ImmediateResponse.newBuilder();
    switch (outcome) {
      case ChainOutcome.Respond(var r) -> {
        reply.setStatus(HttpStatus.newBuilder().setCodeValue(r.status()))
            .setHeaders(HeaderDiff.immediate(r.headers()))
            .setDetails(details(r.detail() == null ? "aigis_processor_response" : r.detail()));
        if (r.body() != null) {
          reply.setBody(ByteString.copyFrom(r.body()));
        }
      }
      case ChainOutcome.Fail(var error) -> reply
          .setStatus(HttpStatus.newBuilder().setCodeValue(error.status()))
          .setHeaders(HeaderDiff.immediate(Map.of("content-type", List.of(OpenAiErrorRenderer.INSTANCE.contentType()))))
          .setBody(ByteString.copyFrom(OpenAiErrorRenderer.INSTANCE.body(error)))
          .setDetails(details("aigis_" + error.code()));
      case ChainOutcome.Proceed p -> throw new IllegalArgumentException("not an immediate response");
    }
    immediateSent = true;
    send(ProcessingResponse.newBuilder().setImmediateResponse(reply));
  }

  /** Envoy's response code details may not contain whitespace. */
  private static String details(String detail) {
    return detail.replaceAll("\\s+", "_");
  }
}
