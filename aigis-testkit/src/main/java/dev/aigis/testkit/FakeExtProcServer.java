package dev.aigis.testkit;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A real Envoy ext_proc v3 server (grpc-java over grpc-netty-shaded, on a free 127.0.0.1 port)
 * whose answers a {@link Script} decides, for end-to-end tests of ExtProcess processors.
 *
 * <p>It counts streams opened, cancelled by the client (a stream counts as cancelled once,
 * whether the cancel arrives as RST_STREAM or as a CANCELLED error) and ended (half-closed by the
 * client, cancelled or failed), and records every {@link ProcessingRequest} received, across
 * streams, in arrival order. A stream the client half-closes is completed by the server. For an
 * endpoint that is down, use {@link #downPort()}.
 *
 * <p>Thread-safe: counters and records may be read from any thread while serving; the {@code
 * await…} methods return as soon as the count is reached (their timeout only bounds a broken
 * test).
 */
public final class FakeExtProcServer implements AutoCloseable {

  /**
   * Decides the answer to one message: a {@link ProcessingResponse}, or null to leave it
   * unanswered (the stream hangs until the client gives up).
   */
  @FunctionalInterface
  public interface Script {

    /**
     * @param request the message received
     * @param seen how many messages of this type ({@code request.getRequestCase()}) this stream
     *     has received, this one included (1 for the first)
     */
    ProcessingResponse answer(ProcessingRequest request, int seen);

    /** CONTINUE, with no mutation, to every message. */
    static Script continueAll() {
      return (request, seen) -> common(request, CommonResponse.getDefaultInstance());
    }

    /**
     * Request headers and request body answers set {@code setRequestHeaders} (overwriting) and
     * {@code clear_route_cache}; the request body answer also replaces the body with {@code
     * replaceRequestBodyJsonOrNull} when it is not null. Response messages: CONTINUE.
     */
    static Script mutating(Map<String, String> setRequestHeaders, String replaceRequestBodyJsonOrNull) {
      HeaderMutation.Builder headers = HeaderMutation.newBuilder();
      setRequestHeaders.forEach((name, value) -> headers.addSetHeaders(set(name.toLowerCase(java.util.Locale.ROOT), value)));
      CommonResponse onHeaders = CommonResponse.newBuilder()
          .setHeaderMutation(headers).setClearRouteCache(true).build();
      CommonResponse.Builder onBody = onHeaders.toBuilder();
      if (replaceRequestBodyJsonOrNull != null) {
        onBody.setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFromUtf8(replaceRequestBodyJsonOrNull)));
      }
      CommonResponse body = onBody.build();
      return (request, seen) -> switch (request.getRequestCase()) {
        case REQUEST_HEADERS -> common(request, onHeaders);
        case REQUEST_BODY -> common(request, body);
        default -> common(request, CommonResponse.getDefaultInstance());
      };
    }

    /** An ImmediateResponse ({@code status}, JSON {@code body}) to the request headers. */
    static Script rejecting(int status, String body) {
      return (request, seen) -> request.hasRequestHeaders()
          ? ProcessingResponse.newBuilder().setImmediateResponse(immediate(status, body, "rejected by test script")).build()
          : common(request, CommonResponse.getDefaultInstance());
    }

    /** Never answers. */
    static Script hanging() {
      return (request, seen) -> null;
    }

    /**
     * Each response_body message with bytes is answered with {@code BodyMutation.body} = {@code
     * replace} applied to its UTF-8 text (for SSE, one event per message); everything else CONTINUE.
     */
    static Script replacingResponseChunks(UnaryOperator<String> replace) {
      return (request, seen) -> {
        if (!request.hasResponseBody() || request.getResponseBody().getBody().isEmpty()) {
          return common(request, CommonResponse.getDefaultInstance());
        }
        String replaced = replace.apply(request.getResponseBody().getBody().toStringUtf8());
        return common(request, CommonResponse.newBuilder()
            .setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFromUtf8(replaced))).build());
      };
    }

    /** An ImmediateResponse with {@code status} to the {@code chunks}-th response_body message; CONTINUE otherwise. */
    static Script endingResponseAfter(int chunks, int status) {
      return (request, seen) -> request.hasResponseBody() && seen == chunks
          ? ProcessingResponse.newBuilder().setImmediateResponse(
              immediate(status, "{\"error\":\"stopped by test script\"}", "stopped after " + chunks + " chunks")).build()
          : common(request, CommonResponse.getDefaultInstance());
    }

    /**
     * CONTINUE, except that the {@code chunks}-th response_body message is answered with a
     * request_headers answer: a protocol error, which the client must treat as a failure of the
     * processor (its failure mode then applies).
     */
    static Script failingResponseAfter(int chunks) {
      return (request, seen) -> request.hasResponseBody() && seen == chunks
          ? ProcessingResponse.newBuilder().setRequestHeaders(HeadersResponse.getDefaultInstance()).build()
          : common(request, CommonResponse.getDefaultInstance());
    }
  }

  private final Server server;
  private final AtomicInteger streamsOpened = new AtomicInteger();
  private final AtomicInteger streamsCancelled = new AtomicInteger();
  private final AtomicInteger streamsEnded = new AtomicInteger();
  private final List<ProcessingRequest> received = new CopyOnWriteArrayList<>();
  /** Notified whenever a count above changes or a message is received. */
  private final Object changes = new Object();

  private FakeExtProcServer(Script script) {
    var service = new ExternalProcessorGrpc.ExternalProcessorImplBase() {
      @Override
      public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> out) {
        streamsOpened.incrementAndGet();
        signalChange();
        var cancelled = new AtomicBoolean();
        var ended = new AtomicBoolean();
        Runnable onEnd = () -> {
          if (ended.compareAndSet(false, true)) {
            streamsEnded.incrementAndGet();
            signalChange();
          }
        };
        Runnable onCancel = () -> {
          if (cancelled.compareAndSet(false, true)) {
            streamsCancelled.incrementAndGet();
          }
          onEnd.run();
        };
        ((ServerCallStreamObserver<ProcessingResponse>) out).setOnCancelHandler(onCancel);
        Map<ProcessingRequest.RequestCase, Integer> seen = new EnumMap<>(ProcessingRequest.RequestCase.class);
        return new StreamObserver<>() {
          @Override
          public void onNext(ProcessingRequest request) {
            received.add(request);
            signalChange();
            int count = seen.merge(request.getRequestCase(), 1, Integer::sum); // messages of one stream are serial
            ProcessingResponse answer = script.answer(request, count);
            if (answer != null) {
              out.onNext(answer);
            }
          }

          @Override
          public void onError(Throwable t) {
            if (io.grpc.Status.fromThrowable(t).getCode() == io.grpc.Status.Code.CANCELLED) {
              onCancel.run();
            } else {
              onEnd.run();
            }
          }

          @Override
          public void onCompleted() {
            out.onCompleted();
            onEnd.run();
          }
        };
      }
    };
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
          .addService(service).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server answering as {@code script} says. */
  public static FakeExtProcServer start(Script script) {
    return new FakeExtProcServer(script);
  }

  /** A free 127.0.0.1 port with nothing listening: an ext_proc endpoint that is down. */
  public static int downPort() {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** {@code Process} streams the client opened. */
  public int streamsOpened() {
    return streamsOpened.get();
  }

  /** Streams the client cancelled (Aigis does so when an exchange ends early or is abandoned). */
  public int streamsCancelled() {
    return streamsCancelled.get();
  }

  /**
   * Streams that have ended: half-closed by the client (and completed by the server), cancelled, or
   * failed.
   */
  public int streamsEnded() {
    return streamsEnded.get();
  }

  public int messagesReceived() {
    return received.size();
  }

  /** Every message received, in arrival order (a snapshot). */
  public List<ProcessingRequest> received() {
    return List.copyOf(received);
  }

  /** Waits until at least {@code count} streams were cancelled; fails after {@code within}. */
  public void awaitStreamsCancelled(int count, Duration within) throws InterruptedException {
    await(() -> streamsCancelled() >= count, within, "cancelled streams", count);
  }

  /** Waits until at least {@code count} streams have ended ({@link #streamsEnded()}); fails after {@code within}. */
  public void awaitStreamsEnded(int count, Duration within) throws InterruptedException {
    await(() -> streamsEnded() >= count, within, "ended streams", count);
  }

  /** Waits until at least {@code count} messages were received; fails after {@code within}. */
  public void awaitMessagesReceived(int count, Duration within) throws InterruptedException {
    await(() -> messagesReceived() >= count, within, "messages", count);
  }

  private void signalChange() {
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  private void await(BooleanSupplier reached, Duration within, String what, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (changes) {
      while (!reached.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " " + what + " within " + within + "; streams: "
              + streamsOpened() + " opened, " + streamsEnded() + " ended, " + streamsCancelled()
              + " cancelled; " + messagesReceived() + " messages");
        }
        TimeUnit.NANOSECONDS.timedWait(changes, left);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  // ---- building answers ----

  private static ProcessingResponse common(ProcessingRequest request, CommonResponse common) {
    var headers = HeadersResponse.newBuilder().setResponse(common).build();
    var body = BodyResponse.newBuilder().setResponse(common).build();
    var response = ProcessingResponse.newBuilder();
    return switch (request.getRequestCase()) {
      case REQUEST_HEADERS -> response.setRequestHeaders(headers).build();
      case RESPONSE_HEADERS -> response.setResponseHeaders(headers).build();
      case REQUEST_BODY -> response.setRequestBody(body).build();
      case RESPONSE_BODY -> response.setResponseBody(body).build();
      default -> throw new IllegalArgumentException("trailers are never sent by Aigis: " + request.getRequestCase());
    };
  }

  private static ImmediateResponse immediate(int status, String body, String details) {
    return ImmediateResponse.newBuilder()
        .setStatus(HttpStatus.newBuilder().setCodeValue(status))
        .setHeaders(HeaderMutation.newBuilder().addSetHeaders(set("content-type", "application/json")))
        .setBody(ByteString.copyFromUtf8(body))
        .setDetails(details)
        .build();
  }

  private static HeaderValueOption set(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)))
        .setAppendAction(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }
}
