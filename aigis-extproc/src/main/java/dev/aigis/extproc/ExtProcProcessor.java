package dev.aigis.extproc;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import dev.aigis.extproc.ExtProcExchange.Stage;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.ExtProcessSpec.BodySendMode;
import dev.aigis.model.processing.ExtProcessSpec.HeaderSendMode;
import dev.aigis.model.processing.ExtProcessSpec.ProcessingModeSpec;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A processor that delegates to an external Envoy ext_proc v3 server ({@code ExternalProcessor.Process}).
 *
 * <h2>The stream</h2>
 * One bidirectional {@code Process} stream per HTTP exchange, opened by the first message (which
 * also carries {@code protocol_config} with the body modes) and held in the exchange's
 * {@link ExchangeState}. One message is in flight at a time; each must be answered by the matching
 * response type or an {@code immediate_response} ({@code observability_mode} is always false).
 * Once nothing more will be sent the client half-closes; {@link ExchangeState#close()} cancels the
 * stream (the server sees CANCELLED) unless the server has already ended it, which is how a client
 * disconnect or an early end of the exchange reaches the server.
 *
 * <h2>Messages per processing mode</h2>
 * <pre>
 * request_header_mode  SEND      request_headers {:method :path :authority :scheme + headers, end_of_stream}
 *                      SKIP      -
 * request_body_mode    NONE      -
 *                      BUFFERED  request_body {whole body, end_of_stream=true}
 *                      STREAMED  request_body {chunk, end_of_stream} per chunk
 * response_header_mode SEND      response_headers {:status + headers, end_of_stream}
 *                      SKIP      -
 * response_body_mode   NONE      -
 *                      BUFFERED  response_body {whole body, end_of_stream=true}
 *                      STREAMED  response_body {chunk, end_of_stream} per chunk; for SSE one event per
 *                                message, and a last (possibly empty) message with end_of_stream=true
 * </pre>
 * Header values travel in {@code raw_value}. {@code end_of_stream} on headers means the HTTP
 * message has no body (Envoy's meaning), not that no body message will follow: for requests a
 * {@code Content-Length} of 0, or neither length nor chunking on a GET/HEAD/DELETE/OPTIONS/TRACE;
 * for responses 1xx/204/304, a HEAD request or {@code Content-Length: 0}.
 *
 * <h2>Answers</h2>
 * <ul>
 *   <li>{@code header_mutation}: removals, then sets by {@code append_action} (or the deprecated
 *       {@code append}), to the request or response headers. Pseudo-headers: {@code :path} sets
 *       {@link ProcessedRequest#setPath} (up to any {@code ?}), {@code :authority} sets {@code Host},
 *       {@code :status} sets {@link ProcessedResponse#setStatus}; others are ignored. On a streamed
 *       body chunk header mutations are ignored, as in Envoy.
 *   <li>{@code body_mutation}: {@code body} replaces, {@code clear_body} empties the buffered body
 *       or that one chunk (a streamed chunk becomes {@code ChunkVerdict.Emit(List.of(replaced))}).
 *   <li>{@code CONTINUE_AND_REPLACE} on headers: apply the header mutation, replace the body with
 *       the body mutation if there is one, and send nothing more for that direction. A replaced
 *       request body goes to {@link ProcessedRequest#setBody} (BUFFERED/NONE) or out with the first
 *       streamed chunk (later chunks dropped); a replaced response body goes out with the first
 *       response chunk, so it needs a response body mode other than NONE (the data plane only calls
 *       {@link #onResponseChunk} then). On a body answer it is treated as CONTINUE.
 *   <li>{@code immediate_response}: {@link Verdict.ImmediateResponse} (status, headers, body,
 *       details; status 200 when unset) from header and buffered-body stages. On a response chunk,
 *       after the head was sent, it becomes {@link ChunkVerdict.End} with an OpenAI error event
 *       ({@code processor_failed}). On a streamed request chunk, whose stage returns bytes, the
 *       stage fails with {@link ExtProcImmediateResponseException} carrying the verdict.
 *       {@code grpc_status} is ignored. Nothing more is sent afterwards.
 *   <li>{@code clear_route_cache} is recorded ({@link #routeCacheCleared}); the data plane matches
 *       routes after the PreRouting processors in any case, so it changes nothing there.
 *   <li>{@code mode_override} on the request-headers answer can switch later messages off
 *       (response headers SKIP, a body mode NONE); it cannot ask for more than {@link #needs()}
 *       declared, since the data plane delivers only that.
 *   <li>{@code dynamic_metadata}, {@code override_message_timeout} and trailers are ignored.
 * </ul>
 *
 * <h2>Failures</h2>
 * A stage completes exceptionally with {@link ExtProcException} when the stream fails (e.g.
 * {@code UNAVAILABLE} when nothing listens), when the server answers with the wrong type (the
 * stream is then cancelled), or when the exchange is closed while it waits. The processor has no
 * timeouts or failure modes of its own: the chain applies them. If the server closes the stream
 * cleanly, the waiting stage and all later ones continue unchanged (Envoy's behaviour). If the chain
 * abandons a stage (cancels its future, or calls the next stage before the answer came), the stream
 * is cancelled and later stages continue unchanged.
 *
 * <p>Answers are applied to the message on a gRPC thread just before the stage completes; an answer
 * to a stage whose future was cancelled is not applied. Shared by all exchanges; per-exchange state
 * lives in {@link #newState()}.
 */
public final class ExtProcProcessor implements Processor {

  private final String name;
  private final Channel channel;
  private final ProcessorNeeds needs;

  /**
   * @param name the processor's name, used in error messages
   * @param spec the endpoint and processing mode ({@code host}, {@code port} and {@code tls} are
   *     already reflected in {@code channel})
   * @param channel the channel to the endpoint, shared and owned by the caller (see {@link ExtProcChannels})
   */
  public ExtProcProcessor(String name, ExtProcessSpec spec, Channel channel) {
    this.name = Objects.requireNonNull(name, "name");
    this.channel = Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(spec, "spec");
    ProcessingModeSpec mode = spec.processingMode() == null ? ProcessingModeSpec.DEFAULT : spec.processingMode();
    this.needs = new ProcessorNeeds(
        mode.requestHeaderMode() == HeaderSendMode.SEND,
        bodyMode(mode.requestBodyMode()),
        mode.responseHeaderMode() == HeaderSendMode.SEND,
        bodyMode(mode.responseBodyMode()),
        0);
  }

  public String name() {
    return name;
  }

  @Override
  public ProcessorNeeds needs() {
    return needs;
  }

  /** The exchange's stream; opened lazily, so an exchange that reaches no stage costs nothing. */
  @Override
  public ExchangeState newState() {
    return new ExtProcExchange(name, channel, needs.requestHeaders(), needs.requestBody(), needs.responseHeaders(),
        needs.responseBody());
  }

  /** Whether the server set {@code clear_route_cache} on any request-side answer of this exchange. */
  public boolean routeCacheCleared(ExchangeState state) {
    return exchange(state).routeCacheCleared();
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    ExtProcExchange ex = exchange(state);
    if (!needs.requestHeaders() || !ex.sends(Stage.REQUEST_HEADERS)) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
    boolean endOfStream = !requestHasBody(request);
    var message = ProcessingRequest.newBuilder().setRequestHeaders(
        HttpHeaders.newBuilder().setHeaders(HeaderCodec.request(request)).setEndOfStream(endOfStream));
    return ex.<Verdict>call(Stage.REQUEST_HEADERS, endOfStream, message, answer -> {
      if (answer.hasImmediateResponse()) {
        return immediate(answer.getImmediateResponse());
      }
      if (answer.hasModeOverride()) {
        ex.overrideMode(answer.getModeOverride());
      }
      CommonResponse common = answer.getRequestHeaders().getResponse();
      applyToRequest(common, request, ex);
      if (common.getStatus() == CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE) {
        byte[] replacement = replacement(common);
        if (replacement != null && ex.requestBodyMode() != BodyMode.STREAMED) {
          request.setBody(replacement);
          ex.replaceRequest(null);
        } else {
          if (replacement != null) {
            request.headers().remove("content-length");
          }
          ex.replaceRequest(replacement);
        }
      }
      return Verdict.CONTINUE;
    }, Verdict.CONTINUE);
  }

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState state) {
    ExtProcExchange ex = exchange(state);
    if (!ex.sends(Stage.REQUEST_BODY)) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
    byte[] body = request.body() == null ? new byte[0] : request.body();
    var message = ProcessingRequest.newBuilder().setRequestBody(body(body, true));
    return ex.<Verdict>call(Stage.REQUEST_BODY, true, message, answer -> {
      if (answer.hasImmediateResponse()) {
        return immediate(answer.getImmediateResponse());
      }
      CommonResponse common = answer.getRequestBody().getResponse();
      applyToRequest(common, request, ex);
      byte[] replacement = replacement(common);
      if (replacement != null) {
        request.setBody(replacement);
      }
      return Verdict.CONTINUE;
    }, Verdict.CONTINUE);
  }

  @Override
  public CompletionStage<byte[]> onRequestBodyChunk(ProcessedRequest request, byte[] chunk, boolean endOfStream,
      ExchangeState state) {
    ExtProcExchange ex = exchange(state);
    if (ex.requestReplaced()) {
      return CompletableFuture.completedFuture(ex.replacedRequestChunk(chunk));
    }
    if (!ex.sends(Stage.REQUEST_BODY)) {
      return CompletableFuture.completedFuture(chunk);
    }
    var message = ProcessingRequest.newBuilder().setRequestBody(body(chunk, endOfStream));
    return ex.call(Stage.REQUEST_BODY, endOfStream, message, answer -> {
      if (answer.hasImmediateResponse()) {
        throw new ExtProcImmediateResponseException(name, immediate(answer.getImmediateResponse()));
      }
      CommonResponse common = answer.getRequestBody().getResponse();
      if (common.getClearRouteCache()) {
        ex.clearRouteCache();
      }
      byte[] replacement = replacement(common);
      return replacement == null ? chunk : replacement;
    }, chunk);
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState state) {
    ExtProcExchange ex = exchange(state);
    if (!needs.responseHeaders() || !ex.sends(Stage.RESPONSE_HEADERS)) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
    boolean endOfStream = !responseHasBody(request, response);
    var message = ProcessingRequest.newBuilder().setResponseHeaders(
        HttpHeaders.newBuilder().setHeaders(HeaderCodec.response(response)).setEndOfStream(endOfStream));
    return ex.<Verdict>call(Stage.RESPONSE_HEADERS, endOfStream, message, answer -> {
      if (answer.hasImmediateResponse()) {
        return immediate(answer.getImmediateResponse());
      }
      CommonResponse common = answer.getResponseHeaders().getResponse();
      applyToResponse(common, response);
      if (common.getStatus() == CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE) {
        byte[] replacement = replacement(common);
        if (replacement != null) {
          response.headers().remove("content-length");
        }
        ex.replaceResponse(replacement);
      }
      return Verdict.CONTINUE;
    }, Verdict.CONTINUE);
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk, ExchangeState state) {
    ExtProcExchange ex = exchange(state);
    if (ex.responseReplaced()) {
      return CompletableFuture.completedFuture(new ChunkVerdict.Emit(List.of(ex.replacedResponseChunk(chunk.bytes()))));
    }
    if (!ex.sends(Stage.RESPONSE_BODY)) {
      return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
    }
    var message = ProcessingRequest.newBuilder().setResponseBody(body(chunk.bytes(), chunk.endOfStream()));
    return ex.call(Stage.RESPONSE_BODY, chunk.endOfStream(), message, answer -> {
      if (answer.hasImmediateResponse()) {
        return endStream(answer.getImmediateResponse(), chunk);
      }
      CommonResponse common = answer.getResponseBody().getResponse();
      if (needs.responseBody() == BodyMode.BUFFERED) {
        // Whether the data plane still honours these depends on whether it held the head back.
        applyToResponse(common, response);
      }
      byte[] replacement = replacement(common);
      return replacement == null ? ChunkVerdict.pass(chunk) : new ChunkVerdict.Emit(List.of(replacement));
    }, ChunkVerdict.pass(chunk));
  }

  // ---- answers to messages ----

  private static void applyToRequest(CommonResponse common, ProcessedRequest request, ExtProcExchange ex) {
    HeaderCodec.apply(common.getHeaderMutation(), request.headers(), (name, value) -> {
      switch (name) {
        case ":path" -> {
          int query = value.indexOf('?');
          request.setPath(query < 0 ? value : value.substring(0, query));
        }
        case ":authority" -> request.headers().set("host", value);
        default -> { }
      }
    });
    if (common.getClearRouteCache()) {
      ex.clearRouteCache();
    }
  }

  private static void applyToResponse(CommonResponse common, ProcessedResponse response) {
    HeaderCodec.apply(common.getHeaderMutation(), response.headers(), (name, value) -> {
      if (name.equals(":status")) {
        try {
          response.setStatus(Integer.parseInt(value.trim()));
        } catch (NumberFormatException ignored) {
          // Envoy rejects a non-numeric :status; keep the upstream's.
        }
      }
    });
  }

  /** The body a mutation puts in place, or null when it leaves the body alone. */
  private static byte[] replacement(CommonResponse common) {
    if (!common.hasBodyMutation()) {
      return null;
    }
    BodyMutation mutation = common.getBodyMutation();
    return switch (mutation.getMutationCase()) {
      case BODY -> mutation.getBody().toByteArray();
      case CLEAR_BODY -> mutation.getClearBody() ? new byte[0] : null;
      case STREAMED_RESPONSE -> mutation.getStreamedResponse().getBody().toByteArray();
      case MUTATION_NOT_SET -> null;
    };
  }

  private static Verdict.ImmediateResponse immediate(ImmediateResponse response) {
    int status = response.hasStatus() && response.getStatus().getCodeValue() > 0 ? response.getStatus().getCodeValue() : 200;
    return new Verdict.ImmediateResponse(status, HeaderCodec.immediate(response.getHeaders()),
        response.getBody().toByteArray(), response.getDetails());
  }

  /**
   * An ImmediateResponse after the response head went out cannot change the status, so the
   * stream ends with an error in the client's format instead.
   */
  private ChunkVerdict endStream(ImmediateResponse response, ResponseChunk chunk) {
    Verdict.ImmediateResponse verdict = immediate(response);
    String detail = "immediate response " + verdict.status() + " during the response body"
        + (verdict.detail().isEmpty() ? "" : ": " + verdict.detail());
    var error = new GatewayError.ProcessorFailed(name, detail);
    byte[] bytes = chunk.sseEvent()
        ? OpenAiErrorRenderer.INSTANCE.streamEvent(error)
        : OpenAiErrorRenderer.INSTANCE.body(error);
    return new ChunkVerdict.End(bytes, "ext_proc processor " + name + ": " + detail);
  }

  // ---- framing ----

  private static HttpBody.Builder body(byte[] bytes, boolean endOfStream) {
    return HttpBody.newBuilder().setBody(com.google.protobuf.ByteString.copyFrom(bytes)).setEndOfStream(endOfStream);
  }

  private static boolean requestHasBody(ProcessedRequest request) {
    if (request.body() != null) {
      return request.body().length > 0;
    }
    String length = request.headers().get("content-length");
    if (length != null) {
      return !length.trim().equals("0");
    }
    if (request.headers().get("transfer-encoding") != null) {
      return true;
    }
    return switch (request.method().toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "DELETE", "OPTIONS", "TRACE" -> false;
      default -> true;
    };
  }

  private static boolean responseHasBody(ProcessedRequest request, ProcessedResponse response) {
    int status = response.status();
    if (status < 200 || status == 204 || status == 304 || request.method().equalsIgnoreCase("HEAD")) {
      return false;
    }
    String length = response.headers().get("content-length");
    return length == null || !length.trim().equals("0");
  }

  private static BodyMode bodyMode(BodySendMode mode) {
    return switch (mode) {
      case NONE -> BodyMode.NONE;
      case BUFFERED -> BodyMode.BUFFERED;
      case STREAMED -> BodyMode.STREAMED;
    };
  }

  private ExtProcExchange exchange(ExchangeState state) {
    if (state instanceof ExtProcExchange ex) {
      return ex;
    }
    throw new IllegalArgumentException("ext_proc processor " + name + " was given state it did not create: " + state);
  }
}
