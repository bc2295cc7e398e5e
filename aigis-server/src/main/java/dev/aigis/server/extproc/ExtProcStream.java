package dev.aigis.server.extproc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.backend.PivotBodies;
import dev.aigis.core.backend.EventSink;
import dev.aigis.core.backend.ResponseDecoder;
import dev.aigis.core.backend.ResponseDecoders;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.ExchangeSummary;
import dev.aigis.core.exchange.PipelineRun;
import dev.aigis.core.exchange.StructuredAnswers;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.api.QueryKey;
import dev.aigis.core.api.RequestInspection;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.time.Duration;
import java.util.SplittableRandom;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.routing.RequestPaths;
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
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One ext_proc stream, which Envoy opens per HTTP exchange: a thin adapter that maps its messages
 * onto a {@link PipelineRun} of the Gateway's exchange pipeline (the same stages the data plane
 * runs: the model-header step, PreRouting, the routing barrier, route filters and ExtensionRefs,
 * PostRouting) and answers each message in order.
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

  private final ExtProcTarget target;
  private final ServerCallStreamObserver<ProcessingResponse> out;
  private final SerialExecutor executor;
  private final Scheduler scheduler;
  private final ProcessingObserver observer;
  private final Workers workers;
  private final ExtProcServer.Limits limits;
  private final long startNanos = System.nanoTime();

  // Everything below is touched only by tasks on the serial executor.
  private final ArrayDeque<ProcessingRequest> inbox = new ArrayDeque<>(2);
  private boolean busy;
  private boolean halfClosed;
  private boolean finished;
  private boolean observability;
  private boolean immediateSent;
  private int finalStatus;
  private String errorCode;

  private RequestState requestState = RequestState.HEADERS;
  private String method = "";
  private String originalPath = "";
  /** The path routes match and the upstream gets ({@code RequestPaths.normalize}); a change is sent to Envoy as {@code :path}. */
  private String path = "/";
  private String query = "";
  /** Whether {@link #query} lost a Gemini {@code key} parameter, so {@code :path} must be sent. */
  private boolean queryChanged;
  private String authority;
  private HeaderList requestHeaders = new HeaderList();
  private Map<String, List<String>> requestBefore = Map.of();
  private ExchangeContext context;
  private PipelineRun run;
  private ProcessedRequest request;
  private ByteArrayOutputStream body;
  /** Body messages (request or response) collected but not answered yet. */
  private int heldMessages;

  private ProcessedResponse response;
  private boolean sse;
  private SseDecoder decoder;
  private ResponseDecoder usageTap;
  /**
   * The events the usage tap decoded, each with its pivot, when processors look at event bodies:
   * the framing below pairs them with its own events, so one decoder reads usage and pivots.
   */
  private ArrayDeque<Map.Entry<byte[], ObjectNode>> tapped;
  private final List<byte[]> decoded = new ArrayList<>(4);
  private byte[] sseTail = EMPTY;
  private boolean responseEnded;
  /** The answer's stream broke its format: the rest passes unread. */
  private boolean sseUnread;

  ExtProcStream(ExtProcTarget target, ServerCallStreamObserver<ProcessingResponse> out, SerialExecutor executor,
      Scheduler scheduler, ProcessingObserver observer, Workers workers, ExtProcServer.Limits limits) {
    this.target = target;
    this.out = out;
    this.executor = executor;
    this.scheduler = scheduler;
    this.observer = observer;
    this.workers = workers;
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
          end();
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
      if (finalStatus == 0) {
        finalStatus = 499;
        errorCode = "client_closed";
      }
      end();
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
    finalStatus = 500;
    errorCode = "internal_error";
    end();
    out.onError(Status.INTERNAL.withDescription("aigis ext_proc: " + e.getClass().getSimpleName()).asRuntimeException());
  }

  /** Closes the chains' states and tells the completion hooks, once. */
  private void end() {
    if (run != null) {
      run.close();
    }
    if (context != null && !context.completed()) {
      TokenUsage usage = usageTap == null ? null : usageTap.usage();
      context.complete(new ExchangeSummary(context.requestId(), finalStatus == 0 ? 200 : finalStatus,
          usage == null ? TokenUsage.NONE : usage, context.model(), context.route() == null ? null : context.routeName(),
          context.backend() == null ? null : context.backendName(), errorCode, Duration.ofNanos(System.nanoTime() - startNanos),
          null, context.attributes().snapshot()));
    }
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
    String rawPath = "/";
    requestHeaders = new HeaderList();
    for (HeaderValue header : message.getHeaders().getHeadersList()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      String value = HeaderDiff.value(header);
      switch (name) {
        case ":method" -> method = value;
        case ":path" -> rawPath = value;
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
    int q = rawPath.indexOf('?');
    originalPath = q < 0 ? rawPath : rawPath.substring(0, q);
    query = q < 0 ? "" : rawPath.substring(q);
    requestBefore = HeaderDiff.snapshot(requestHeaders);
    String requestId = requestHeaders.get("x-request-id");
    GatewayError badPath = null;
    try {
      path = RequestPaths.normalize(originalPath);
    } catch (RequestRejected e) {
      path = originalPath;
      badPath = e.error();
    }
    ApiEndpoint endpoint = ApiEndpoint.of(path);
    context = new ExchangeContext(requestId != null ? requestId : "extproc-" + Long.toHexString(startNanos), endpoint, workers);
    context.clientAddress(clientAddress(requestHeaders.get("x-forwarded-for")));
    if (endpoint.api() == dev.aigis.core.provider.InboundApi.Gemini) {
      // After the snapshot: the key moves from the query (sent on as :path) to the header, as a mutation.
      QueryKey split = QueryKey.split(query.isEmpty() ? null : query.substring(1));
      if (split.key() != null) {
        query = split.query() == null ? "" : "?" + split.query();
        queryChanged = true;
        requestHeaders.add(QueryKey.HEADER, split.key());
      }
    }
    if (badPath != null) {
      requestState = RequestState.DONE;
      immediate(new ChainOutcome.Fail(badPath));
      return DONE;
    }
    // The model routes the request: a model endpoint's body is read as the data plane reads it.
    boolean needBody = target.needs().requestBodyBuffered() || endpoint.requiresModel();
    if (needBody && !message.getEndOfStream()) {
      requestState = RequestState.BODY;
      body = new ByteArrayOutputStream();
      send(ProcessingResponse.newBuilder()
          .setRequestHeaders(HeadersResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance()))
          .setModeOverride(modeOverride()));
      return DONE;
    }
    requestState = RequestState.DONE;
    return runRequest(null, 0, true);
  }

  /**
   * The whole processing mode, since Envoy replaces its mode with the override: the request body
   * BUFFERED, the response as the chains need it, no trailers.
   */
  private ProcessingMode modeOverride() {
    ExtProcTarget.Needs needs = target.needs();
    boolean responseHeaders = needs.responseHeaders() || needs.responseBody() != BodyMode.NONE;
    return ProcessingMode.newBuilder()
        .setRequestHeaderMode(HeaderSendMode.SEND)
        .setRequestBodyMode(BodySendMode.BUFFERED)
        .setRequestTrailerMode(HeaderSendMode.SKIP)
        .setResponseHeaderMode(responseHeaders ? HeaderSendMode.SEND : HeaderSendMode.SKIP)
        .setResponseBodyMode(switch (needs.responseBody()) {
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

  /** Runs the pipeline on the collected body and answers the held body messages, the mutations with the last. */
  private CompletionStage<Void> finishRequest() {
    requestState = RequestState.DONE;
    int held = heldMessages;
    // No body message came (Envoy went on to the response): the request had no body to read.
    byte[] bytes = held == 0 && body.size() == 0 ? null : body.toByteArray();
    body = null;
    heldMessages = 0;
    return runRequest(bytes, held, false);
  }

  /**
   * Reads the body as the data plane does (malformed JSON or a model endpoint without a model is
   * a 400 in the caller's format), runs the pipeline, and answers: on the request headers when
   * {@code onHeaders}, otherwise on the {@code held} body messages (none when Envoy sent no body
   * and went on to the response: the headers were already answered).
   */
  private CompletionStage<Void> runRequest(byte[] bytes, int held, boolean onHeaders) {
    OpenAiRequest inspected = OpenAiRequest.EMPTY;
    ApiEndpoint endpoint = context.endpoint();
    if (bytes != null && bytes.length > 0 && (endpoint.requiresModel() || isJson(requestHeaders.get("content-type")))) {
      try {
        inspected = RequestInspection.inspect(endpoint, path, bytes);
      } catch (RequestRejected rejected) {
        immediate(new ChainOutcome.Fail(rejected.error()));
        return DONE;
      }
    }
    if (endpoint.requiresModel() && bytes != null && inspected.model() == null) {
      immediate(new ChainOutcome.Fail(new GatewayError.InvalidRequest("You must provide a model parameter", "model")));
      return DONE;
    }
    request = new ProcessedRequest(context, method, path, requestHeaders, bytes, inspected.model());
    OpenAiRequest asked = inspected;
    run = target.pipeline().start(context, executor, scheduler, observer);
    var barrier = target.barrier(context, authority != null ? authority : requestHeaders.get("host"),
        query.isEmpty() ? null : query.substring(1), new SplittableRandom());
    return run.request(request, barrier).thenAccept(outcome -> {
      if (!(outcome instanceof ChainOutcome.Proceed)) {
        immediate(outcome);
        return;
      }
      if (onHeaders) {
        send(ProcessingResponse.newBuilder().setRequestHeaders(HeadersResponse.newBuilder().setResponse(requestMutations())));
        return;
      }
      if (held == 0) {
        LOG.log(System.Logger.Level.DEBUG, "request ended without a body message; mutations have no message to ride on");
        return;
      }
      if (context.pivotEdited()) {
        // Envoy forwards the client's format: an edited pivot goes back into it, as a native
        // backend gets it in the data plane.
        try {
          String version = requestHeaders.get("anthropic-version");
          request.setBody(PivotBodies.clientBody(endpoint, context.pivot().editedOrNull(), bytes, asked.model(),
              asked.stream(), version != null ? version : "2023-06-01"));
        } catch (TranslationException e) {
          immediate(new ChainOutcome.Fail(e.error()));
          return;
        }
      }
      boolean replace = request.bodyChanged();
      for (int i = 0; i < held - 1; i++) {
        send(ProcessingResponse.newBuilder().setRequestBody(replace ? clearBody() : BodyResponse.getDefaultInstance()));
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

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
  }

  /** Header and path changes the pipeline made; any of them clears the route cache (routing may read them). */
  private CommonResponse.Builder requestMutations() {
    HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
    boolean changed = HeaderDiff.diff(requestBefore, HeaderDiff.snapshot(request.headers()), REQUEST_OWNED, mutation);
    if (!request.path().equals(originalPath) || queryChanged) {
      mutation.addSetHeaders(HeaderDiff.overwrite(":path", request.path() + query));
      changed = true;
    }
    String host = context.hostOverride();
    if (host != null) {
      mutation.addSetHeaders(HeaderDiff.overwrite(":authority", host));
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
      if (context == null) {
        context = new ExchangeContext("extproc-" + Long.toHexString(startNanos), ApiEndpoint.PASSTHROUGH, workers);
      }
      request = new ProcessedRequest(context, method, path, requestHeaders, null, null);
      run = target.pipeline().start(context, executor, scheduler, observer);
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
    if (status / 100 == 2 && context.endpoint().operationName() != null) {
      usageTap = ResponseDecoders.forClient(context.endpoint(), contentType, "upstream");
      if (sse && run != null && run.responseBody() != BodyMode.NONE) {
        usageTap = usageTap.withPivots();
        tapped = new ArrayDeque<>();
      }
    }
    boolean hasBody = !message.getEndOfStream();
    int originalStatus = status;
    finalStatus = status;
    response = new ProcessedResponse(status, headers);
    return run.responseHeaders(response).thenAccept(outcome -> {
      if (!(outcome instanceof ChainOutcome.Proceed)) {
        immediate(outcome);
        return;
      }
      finalStatus = response.status();
      HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
      boolean changed = HeaderDiff.diff(before, HeaderDiff.snapshot(headers), RESPONSE_OWNED, mutation);
      if (response.status() != originalStatus) {
        mutation.addSetHeaders(HeaderDiff.overwrite(":status", Integer.toString(response.status())));
        changed = true;
      }
      if (hasBody && run.responseBody() != BodyMode.NONE && headers.get("content-length") != null) {
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

  /** Reads usage from the answer as it passes (the data plane's reader for the client's API); a tap, never a filter. */
  private void tapUsage(byte[] bytes, boolean eos) {
    if (usageTap == null) {
      return;
    }
    EventSink sink = tapped == null ? (b, p) -> { } : (b, p) -> tapped.add(new AbstractMap.SimpleEntry<>(b, p));
    try {
      usageTap.bytes(bytes, sink);
      if (eos) {
        usageTap.end(sink);
      }
    } catch (TranslationException | RuntimeException e) {
      // A broken answer: usage stays what was read so far; the chains see the bytes as they are.
    }
    TokenUsage usage = usageTap.usage();
    if (usage != null && response != null) {
      response.setUsage(usage);
    }
  }

  private CompletionStage<Void> responseBody(HttpBody message) {
    if (responseEnded) {
      send(ProcessingResponse.newBuilder().setResponseBody(clearBody()));
      return DONE;
    }
    byte[] bytes = message.getBody().toByteArray();
    boolean eos = message.getEndOfStream();
    tapUsage(bytes, eos);
    if (run == null || response == null || run.responseBody() == BodyMode.NONE) {
      send(ProcessingResponse.newBuilder().setResponseBody(BodyResponse.getDefaultInstance()));
      return DONE;
    }
    if (sse) {
      return sseBody(bytes, eos);
    }
    if (run.responseBody() == BodyMode.BUFFERED) {
      if (body == null) {
        body = new ByteArrayOutputStream();
      }
      body.writeBytes(bytes);
      heldMessages++;
      if (body.size() > limits.maxResponseBodyBytes()) {
        // Too large to hand over whole: fail as the data plane does, never let it bypass the chains.
        body = null;
        heldMessages = 0;
        immediate(new ChainOutcome.Fail(new GatewayError.UpstreamProtocolError("upstream",
            "response body exceeds the " + limits.maxResponseBodyBytes() + " bytes response processors can buffer")));
        return DONE;
      }
      if (!eos) {
        return DONE;
      }
      byte[] whole = body.toByteArray();
      body = null;
      int held = heldMessages;
      heldMessages = 0;
      ObjectNode pivot = usageTap == null ? null : usageTap.pivotOfWhole(whole);
      return runChunks(List.of(new ResponseChunk(whole, false, true, pivot)), held, whole);
    }
    return runChunks(List.of(new ResponseChunk(bytes, false, eos)), 1, bytes);
  }

  private CompletionStage<Void> sseBody(byte[] bytes, boolean eos) {
    if (decoder == null) {
      decoder = new SseDecoder(event -> decoded.add(event.raw()), limits.maxEventBytes());
    }
    decoded.clear();
    if (sseUnread) {
      send(ProcessingResponse.newBuilder().setResponseBody(BodyResponse.getDefaultInstance()));
      return DONE;
    }
    try {
      decoder.feed(bytes);
    } catch (SseException e) {
      // Passthrough means passthrough: a stream past the event limit goes on as it came, unread by
      // the chains, as the data plane passes it (the held tail of the unfinished event first).
      LOG.log(System.Logger.Level.WARNING, "upstream stream broke its format ({0}); passed on unchanged", e.getMessage());
      sseUnread = true;
      byte[] asReceived = sseTail.length == 0 ? bytes : concat(sseTail, bytes);
      sseTail = EMPTY;
      answerChunks(asReceived, 1, bytes, false);
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
      byte[] event = decoded.get(i);
      chunks.add(new ResponseChunk(event, true, eos && i == decoded.size() - 1 && sseTail.length == 0, pivotOf(event)));
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

  /**
   * One framed event's pivot: the usage tap decoded the same bytes with the same framing, so its
   * next event is this one, unless it dropped some (a broken stream stops it); then none.
   */
  private ObjectNode pivotOf(byte[] event) {
    while (tapped != null && !tapped.isEmpty()) {
      Map.Entry<byte[], ObjectNode> next = tapped.poll();
      if (Arrays.equals(next.getKey(), event)) {
        return next.getValue();
      }
    }
    return null;
  }

  /** Passes {@code chunks} through the pipeline one after the other and answers the {@code held} messages. */
  private CompletionStage<Void> runChunks(List<ResponseChunk> chunks, int held, byte[] original) {
    var emitted = new ByteArrayOutputStream(original.length);
    CompletionStage<ChunkOutcome.End> ended = CompletableFuture.completedFuture(null);
    for (ResponseChunk chunk : chunks) {
      ended = ended.thenCompose(stop -> stop != null ? CompletableFuture.completedFuture(stop)
          : run.responseChunk(response, chunk).thenApply(outcome -> switch (outcome) {
            case ChunkOutcome.Write write -> {
              write.chunks().forEach(emitted::writeBytes);
              yield null;
            }
            case ChunkOutcome.End end -> end;
          }));
    }
    return ended.thenAccept(stop -> {
      if (stop != null && stop.error() != null && !sse) {
        // A buffered answer failed in the chains: the client gets the error's status, as in the data plane.
        immediate(new ChainOutcome.Fail(stop.error()));
        return;
      }
      if (stop != null) {
        emitted.writeBytes(stop.finalBytes());
        responseEnded = true;
      }
      boolean whole = held == 1 && chunks.size() == 1 && chunks.getFirst().endOfStream() && !chunks.getFirst().sseEvent()
          && run.responseBody() == BodyMode.BUFFERED;
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

  private static Map<String, List<String>> answerHeaders(Verdict.Answer answer, String contentType) {
    var headers = new java.util.LinkedHashMap<String, List<String>>(answer.headers());
    headers.put("content-type", List.of(contentType));
    return headers;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  // ---- immediate responses ----

  /** Answers the client now, in its own API's format: a processor's answer or the pipeline's error. */
  private void immediate(ChainOutcome outcome) {
    ImmediateResponse.Builder reply = ImmediateResponse.newBuilder();
    switch (outcome) {
      case ChainOutcome.Respond(Verdict.ImmediateResponse r) -> {
        reply.setStatus(HttpStatus.newBuilder().setCodeValue(r.status()))
            .setHeaders(HeaderDiff.immediate(r.headers()))
            .setDetails(details(r.detail() == null ? "aigis_processor_response" : r.detail()));
        if (r.body() != null) {
          reply.setBody(ByteString.copyFrom(r.body()));
        }
        finalStatus = r.status();
        errorCode = ExchangeSummary.PROCESSOR_ANSWER;
      }
      case ChainOutcome.Respond(Verdict.Answer answer) -> {
        boolean stream = request != null && request.json().path("stream").asBoolean(false);
        var rendered = StructuredAnswers.render(InboundCodecs.of(context.endpoint()), answer.completion(), stream,
            request != null && request.json().path("stream_options").path("include_usage").asBoolean(false));
        reply.setStatus(HttpStatus.newBuilder().setCodeValue(200))
            .setHeaders(HeaderDiff.immediate(answerHeaders(answer, rendered.contentType())))
            .setBody(ByteString.copyFrom(rendered.body()))
            .setDetails(details(answer.detail() == null ? "aigis_processor_answer" : answer.detail()));
        finalStatus = 200;
        errorCode = ExchangeSummary.PROCESSOR_ANSWER;
      }
      case ChainOutcome.Respond(Verdict.Refuse refuse) -> {
        immediate(new ChainOutcome.Fail(refuse.error(), refuse.headers()));
        return;
      }
      case ChainOutcome.Fail(var error, var extraHeaders) -> {
        var errors = context != null ? context.errors() : ExchangeContext.errorsFor(ApiEndpoint.of(originalPath));
        var headers = new java.util.LinkedHashMap<String, List<String>>(extraHeaders);
        headers.put("content-type", List.of(errors.contentType()));
        reply.setStatus(HttpStatus.newBuilder().setCodeValue(error.status()))
            .setHeaders(HeaderDiff.immediate(headers))
            .setBody(ByteString.copyFrom(errors.body(error)))
            .setDetails(details("aigis_" + error.code()));
        finalStatus = error.status();
        errorCode = error.code();
      }
      case ChainOutcome.Proceed p -> throw new IllegalArgumentException("not an immediate response");
    }
    immediateSent = true;
    send(ProcessingResponse.newBuilder().setImmediateResponse(reply));
  }

  /**
   * The client as Envoy saw it: the rightmost {@code X-Forwarded-For} entry, the one Envoy appends
   * itself (with {@code use_remote_address}); entries left of it are the client's to write.
   */
  private static String clientAddress(String forwardedFor) {
    if (forwardedFor == null) {
      return "";
    }
    int comma = forwardedFor.lastIndexOf(',');
    return (comma < 0 ? forwardedFor : forwardedFor.substring(comma + 1)).strip();
  }

  /** Envoy's response code details may not contain whitespace. */
  private static String details(String detail) {
    return detail.replaceAll("\\s+", "_");
  }
}
