package dev.aigis.extproc;

import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.Processor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One exchange's ext_proc stream: opened on the first message, one message in flight at a time.
 *
 * <p>Threading: stages are called by the exchange's thread, one at a time; answers arrive on gRPC
 * threads. All fields are guarded by {@code this}; an answer is applied to the message (by the
 * handler the stage passed) outside the lock, on the gRPC thread, before the stage completes. A
 * stage the chain abandoned by cancelling its future is not applied: the chain may already be
 * touching the message again.
 *
 * <p>After the server closes the stream cleanly, after an ImmediateResponse, and after a stage was
 * abandoned (cancelled, or a new stage began while one was unanswered), later stages pass through
 * without messages, as Envoy does. After a stream error, later stages fail with the same error.
 */
final class ExtProcExchange implements Processor.ExchangeState {

  enum Stage {
    REQUEST_HEADERS("request_headers"), REQUEST_BODY("request_body"),
    RESPONSE_HEADERS("response_headers"), RESPONSE_BODY("response_body");

    final String field;

    Stage(String field) {
      this.field = field;
    }
  }

  private final String processor;
  private final Channel channel;
  private final ProtocolConfiguration protocol;

  private BodyMode requestBody;
  private boolean responseHeaders;
  private BodyMode responseBody;

  private ClientCallStreamObserver<ProcessingRequest> requests;
  private Pending<?> pending;
  private boolean callEnded;
  private boolean halfClosed;
  private boolean closed;
  /** No further messages: server closed, immediate response, or abandoned. */
  private boolean passThrough;
  private ExtProcException failure;
  private boolean requestDone;
  private boolean responseDone;
  private boolean requestReplaced;
  private boolean responseReplaced;
  private byte[] requestReplacement;
  private byte[] responseReplacement;
  private boolean requestReplacementSent;
  private boolean responseReplacementSent;
  private boolean clearRouteCache;

  ExtProcExchange(String processor, Channel channel, boolean requestHeaders, BodyMode requestBody,
      boolean responseHeaders, BodyMode responseBody) {
    this.processor = processor;
    this.channel = channel;
    this.requestBody = requestBody;
    this.responseHeaders = responseHeaders;
    this.responseBody = responseBody;
    this.requestDone = !requestHeaders && requestBody == BodyMode.NONE;
    this.responseDone = !responseHeaders && responseBody == BodyMode.NONE;
    this.protocol = ProtocolConfiguration.newBuilder()
        .setRequestBodyMode(envoy(requestBody))
        .setResponseBodyMode(envoy(responseBody))
        .build();
  }

  /** Whether a stage sends a message (false once that direction is over or the stream passes through). */
  synchronized boolean sends(Stage stage) {
    if (passThrough || closed) {
      return false;
    }
    return switch (stage) {
      case REQUEST_HEADERS -> true;
      case REQUEST_BODY -> requestBody != BodyMode.NONE && !requestDone && !requestReplaced;
      case RESPONSE_HEADERS -> responseHeaders;
      case RESPONSE_BODY -> responseBody != BodyMode.NONE && !responseDone && !responseReplaced;
    };
  }

  /**
   * Sends {@code message} and completes with {@code onAnswer} applied to the server's answer, or
   * with {@code passThrough} when the stream ends cleanly or was abandoned instead. {@code onAnswer}
   * checks the answer's type and may throw {@link ExtProcException}.
   */
  <T> CompletableFuture<T> call(Stage stage, boolean endOfStream, ProcessingRequest.Builder message,
      Function<ProcessingResponse, T> onAnswer, T passThroughValue) {
    CompletableFuture<T> result = new CompletableFuture<>();
    synchronized (this) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (closed) {
        return CompletableFuture.failedFuture(new ExtProcException(prefix() + "exchange already closed"));
      }
      if (pending != null) {
        abandon(pending.stage.field + " was still unanswered when " + stage.field + " began");
      }
      if (passThrough) {
        return CompletableFuture.completedFuture(passThroughValue);
      }
      if (requests == null) {
        open();
        message.setProtocolConfig(protocol);
      }
      pending = new Pending<>(stage, endOfStream, onAnswer, passThroughValue, result);
      requests.onNext(message.build());
    }
    // Registered after the send so a failure while sending is reported, not taken for a cancellation.
    result.whenComplete((v, e) -> {
      if (result.isCancelled()) {
        synchronized (this) {
          abandon(stage.field + " was cancelled");
        }
      }
    });
    return result;
  }

  private void open() {
    var observer = new ClientResponseObserver<ProcessingRequest, ProcessingResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<ProcessingRequest> stream) {
        requests = stream;
      }

      @Override
      public void onNext(ProcessingResponse response) {
        answered(response);
      }

      @Override
      public void onError(Throwable t) {
        ended(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended(Status.OK);
      }
    };
    ExternalProcessorGrpc.newStub(channel).process(observer);
  }

  private void answered(ProcessingResponse response) {
    Pending<?> answered;
    synchronized (this) {
      answered = pending;
      pending = null;
      if (answered == null) {
        if (!passThrough && failure == null) {
          fail(new ExtProcException(prefix() + "sent " + response.getResponseCase() + " when no answer was due"));
        }
        return;
      }
      if (answered.result.isDone()) {
        return;
      }
      if (response.hasImmediateResponse()) {
        passThrough = true;
      } else if (!matches(answered.stage, response)) {
        var e = new ExtProcException(prefix() + "answered " + field(response) + " to " + answered.stage.field);
        fail(e);
        answered.result.completeExceptionally(e);
        return;
      }
    }
    answered.answer(response, () -> {
      // Before the stage completes: the chain may call the next stage as soon as it does.
      synchronized (this) {
        if (!response.hasImmediateResponse()) {
          advance(answered.stage, answered.endOfStream);
        }
        halfCloseIfDone();
      }
    });
  }

  private synchronized void ended(Status status) {
    callEnded = true;
    Pending<?> waiting = pending;
    pending = null;
    if (status.isOk()) {
      passThrough = true;
      if (waiting != null) {
        waiting.passThrough();
      }
      return;
    }
    if (!passThrough && !closed && failure == null) {
      String during = waiting == null ? "" : " during " + waiting.stage.field;
      failure = new ExtProcException(prefix() + "stream failed" + during + ": " + describe(status), status.asException());
    }
    if (waiting != null) {
      waiting.result.completeExceptionally(failure != null ? failure
          : new ExtProcException(prefix() + "stream ended" + " during " + waiting.stage.field + ": " + describe(status)));
    }
  }

  /** What one answer means for the messages still to come. Guarded by this. */
  private void advance(Stage stage, boolean endOfStream) {
    switch (stage) {
      case REQUEST_HEADERS -> requestDone = endOfStream || requestBody == BodyMode.NONE || requestReplaced;
      case REQUEST_BODY -> requestDone = requestDone || endOfStream;
      case RESPONSE_HEADERS -> {
        requestDone = true;
        responseDone = endOfStream || responseBody == BodyMode.NONE || responseReplaced;
      }
      case RESPONSE_BODY -> {
        requestDone = true;
        responseDone = responseDone || endOfStream;
      }
    }
  }

  private void halfCloseIfDone() {
    if (requests != null && !halfClosed && !callEnded && (passThrough || (requestDone && responseDone))) {
      halfClosed = true;
      requests.onCompleted();
    }
  }

  /** Cancels the stream (the server sees CANCELLED); later stages pass through. Guarded by this. */
  private void abandon(String why) {
    passThrough = true;
    Pending<?> waiting = pending;
    pending = null;
    if (requests != null && !callEnded) {
      requests.cancel(prefix() + why, null);
    }
    if (waiting != null) {
      waiting.result.completeExceptionally(new ExtProcException(prefix() + why));
    }
  }

  /** A protocol error: cancels the stream; later stages fail with {@code e}. Guarded by this. */
  private void fail(ExtProcException e) {
    failure = e;
    if (requests != null && !callEnded) {
      requests.cancel(e.getMessage(), null);
    }
  }

  /**
   * Cancels the stream unless the server already ended it, or the client already half-closed it
   * with every message answered (a completed exchange: the server ends the call on its own, and
   * must not see a completed exchange as cancelled). This is how a client that went away, or an
   * exchange that ended early, reaches the processor. A stage still waiting fails; later stages
   * pass through without messages.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Pending<?> waiting = pending;
    pending = null;
    if (requests != null && !callEnded && !(halfClosed && waiting == null)) {
      requests.cancel("exchange closed", null);
    }
    if (waiting != null) {
      waiting.result.completeExceptionally(
          new ExtProcException(prefix() + "exchange closed while waiting for " + waiting.stage.field));
    }
  }

  // ---- state the processor reads and sets while applying answers ----

  /**
   * {@code mode_override}, honoured (as Envoy does) only on the answer to request headers. It can
   * only narrow what is sent: the data plane delivers what {@code needs()} asked for when the
   * configuration was compiled, so a body mode other than NONE or the configured one is ignored.
   */
  synchronized void overrideMode(ProcessingMode mode) {
    if (mode.getResponseHeaderMode() == ProcessingMode.HeaderSendMode.SKIP) {
      responseHeaders = false;
    }
    if (mode.getRequestBodyMode() == ProcessingMode.BodySendMode.NONE) {
      requestBody = BodyMode.NONE;
    }
    if (mode.getResponseBodyMode() == ProcessingMode.BodySendMode.NONE) {
      responseBody = BodyMode.NONE;
    }
    if (!responseHeaders && responseBody == BodyMode.NONE) {
      responseDone = true;
    }
  }

  synchronized BodyMode requestBodyMode() {
    return requestBody;
  }

  /**
   * CONTINUE_AND_REPLACE on the request headers: no further request messages. A non-null
   * {@code replacement} replaces a streamed body: the first chunk carries it, later chunks are
   * dropped; null leaves the chunks as they are.
   */
  synchronized void replaceRequest(byte[] replacement) {
    requestReplaced = true;
    requestReplacement = replacement;
  }

  synchronized boolean requestReplaced() {
    return requestReplaced;
  }

  synchronized byte[] replacedRequestChunk(byte[] chunk) {
    if (requestReplacement == null) {
      return chunk;
    }
    byte[] bytes = requestReplacementSent ? new byte[0] : requestReplacement;
    requestReplacementSent = true;
    return bytes;
  }

  /** CONTINUE_AND_REPLACE on the response headers; as {@link #replaceRequest} for the response body. */
  synchronized void replaceResponse(byte[] replacement) {
    responseReplaced = true;
    responseReplacement = replacement;
  }

  synchronized boolean responseReplaced() {
    return responseReplaced;
  }

  synchronized byte[] replacedResponseChunk(byte[] chunk) {
    if (responseReplacement == null) {
      return chunk;
    }
    byte[] bytes = responseReplacementSent ? new byte[0] : responseReplacement;
    responseReplacementSent = true;
    return bytes;
  }

  synchronized void clearRouteCache() {
    clearRouteCache = true;
  }

  synchronized boolean routeCacheCleared() {
    return clearRouteCache;
  }

  String prefix() {
    return "ext_proc processor " + processor + ": ";
  }

  private static String describe(Status status) {
    return status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
  }

  private static boolean matches(Stage stage, ProcessingResponse response) {
    return switch (stage) {
      case REQUEST_HEADERS -> response.hasRequestHeaders();
      case REQUEST_BODY -> response.hasRequestBody();
      case RESPONSE_HEADERS -> response.hasResponseHeaders();
      case RESPONSE_BODY -> response.hasResponseBody();
    };
  }

  private static String field(ProcessingResponse response) {
    return switch (response.getResponseCase()) {
      case REQUEST_HEADERS -> "request_headers";
      case RESPONSE_HEADERS -> "response_headers";
      case REQUEST_BODY -> "request_body";
      case RESPONSE_BODY -> "response_body";
      case REQUEST_TRAILERS -> "request_trailers";
      case RESPONSE_TRAILERS -> "response_trailers";
      case IMMEDIATE_RESPONSE -> "immediate_response";
      case RESPONSE_NOT_SET -> "an empty response";
    };
  }

  private static ProcessingMode.BodySendMode envoy(BodyMode mode) {
    return switch (mode) {
      case NONE -> ProcessingMode.BodySendMode.NONE;
      case BUFFERED -> ProcessingMode.BodySendMode.BUFFERED;
      case STREAMED -> ProcessingMode.BodySendMode.STREAMED;
    };
  }

  /** The stage waiting for an answer. */
  private record Pending<T>(Stage stage, boolean endOfStream, Function<ProcessingResponse, T> onAnswer, T passThroughValue,
      CompletableFuture<T> result) {

    /** Applies the answer, runs {@code beforeCompleting}, then completes the stage. */
    void answer(ProcessingResponse response, Runnable beforeCompleting) {
      T value;
      try {
        value = onAnswer.apply(response);
      } catch (RuntimeException e) {
        beforeCompleting.run();
        result.completeExceptionally(e);
        return;
      }
      beforeCompleting.run();
      result.complete(value);
    }

    void passThrough() {
      result.complete(passThroughValue);
    }
  }
}
