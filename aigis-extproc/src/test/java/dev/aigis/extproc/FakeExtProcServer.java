package dev.aigis.extproc;

import com.google.protobuf.ByteString;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.ExtProcessSpec.ProcessingModeSpec;
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
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real ext_proc server (grpc-java over grpc-netty-shaded, on a free port) whose answers a
 * {@link Behaviour} scripts. It records every stream: the messages received and how the stream
 * ended ({@code half-closed}, {@code cancelled} or {@code error <code>}).
 */
final class FakeExtProcServer implements AutoCloseable {

  /** Handles one message; may answer, close the stream, or do nothing (hang). */
  interface Behaviour {
    void onMessage(ProcessingRequest request, StreamObserver<ProcessingResponse> out);
  }

  static final class RecordedStream {
    final BlockingQueue<ProcessingRequest> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> end = new CompletableFuture<>();

    ProcessingRequest next() throws InterruptedException {
      ProcessingRequest request = received.poll(5, TimeUnit.SECONDS);
      if (request == null) {
        throw new AssertionError("no message within 5 s");
      }
      return request;
    }

    String awaitEnd() throws Exception {
      return end.get(5, TimeUnit.SECONDS);
    }
  }

  private final Server server;
  private final List<RecordedStream> streams = new ArrayList<>();

  private FakeExtProcServer(Behaviour behaviour) {
    var service = new ExternalProcessorGrpc.ExternalProcessorImplBase() {
      @Override
      public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> out) {
        var stream = new RecordedStream();
        synchronized (streams) {
          streams.add(stream);
          streams.notifyAll();
        }
        ((ServerCallStreamObserver<ProcessingResponse>) out).setOnCancelHandler(() -> stream.end.complete("cancelled"));
        return new StreamObserver<>() {
          @Override
          public void onNext(ProcessingRequest request) {
            stream.received.add(request);
            behaviour.onMessage(request, out);
          }

          @Override
          public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            stream.end.complete(status.getCode() == Status.Code.CANCELLED ? "cancelled" : "error " + status.getCode());
          }

          @Override
          public void onCompleted() {
            stream.end.complete("half-closed");
            out.onCompleted();
          }
        };
      }
    };
    try {
      server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FakeExtProcServer start(Behaviour behaviour) {
    return new FakeExtProcServer(behaviour);
  }

  /** Answers each message with the given response (null: no answer). */
  static FakeExtProcServer answering(Function<ProcessingRequest, ProcessingResponse> answer) {
    return start((request, out) -> {
      ProcessingResponse response = answer.apply(request);
      if (response != null) {
        out.onNext(response);
      }
    });
  }

  /** CONTINUE with no mutation, of the type matching the message. */
  static FakeExtProcServer continuing() {
    return answering(request -> common(request, CommonResponse.getDefaultInstance()));
  }

  /**
   * Request headers: sets {@code x-checked: yes}, removes {@code x-secret}. Request body: replaced
   * by {@code {"model":"redacted"}}. Response headers: sets {@code x-processed: yes}. Response
   * body: each chunk upper-cased. Always CONTINUE.
   */
  static FakeExtProcServer mutating() {
    return answering(request -> switch (request.getRequestCase()) {
      case REQUEST_HEADERS -> common(request, CommonResponse.newBuilder()
          .setHeaderMutation(HeaderMutation.newBuilder().addSetHeaders(set("x-checked", "yes")).addRemoveHeaders("x-secret"))
          .build());
      case REQUEST_BODY -> common(request, replaceBody("{\"model\":\"redacted\"}".getBytes(StandardCharsets.UTF_8)));
      case RESPONSE_HEADERS -> common(request, CommonResponse.newBuilder()
          .setHeaderMutation(HeaderMutation.newBuilder().addSetHeaders(set("x-processed", "yes"))).build());
      case RESPONSE_BODY -> common(request, replaceBody(
          request.getResponseBody().getBody().toStringUtf8().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
      default -> null;
    });
  }

  /** Answers every message with an ImmediateResponse. */
  static FakeExtProcServer immediate(int status, String contentType, String body, String details) {
    return answering(request -> ProcessingResponse.newBuilder().setImmediateResponse(immediateResponse(status, contentType,
        body, details)).build());
  }

  /** Never answers. */
  static FakeExtProcServer hanging() {
    return start((request, out) -> { });
  }

  /** A port nothing listens on. */
  static int downPort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ImmediateResponse immediateResponse(int status, String contentType, String body, String details) {
    return ImmediateResponse.newBuilder()
        .setStatus(HttpStatus.newBuilder().setCodeValue(status))
        .setHeaders(HeaderMutation.newBuilder().addSetHeaders(set("content-type", contentType)))
        .setBody(ByteString.copyFromUtf8(body))
        .setDetails(details)
        .build();
  }

  static HeaderValueOption set(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)))
        .setAppendAction(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }

  static CommonResponse replaceBody(byte[] body) {
    return CommonResponse.newBuilder().setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFrom(body))).build();
  }

  /** The answer type matching the message, carrying {@code common}. */
  static ProcessingResponse common(ProcessingRequest request, CommonResponse common) {
    var headers = HeadersResponse.newBuilder().setResponse(common).build();
    var body = BodyResponse.newBuilder().setResponse(common).build();
    var response = ProcessingResponse.newBuilder();
    return switch (request.getRequestCase()) {
      case REQUEST_HEADERS -> response.setRequestHeaders(headers).build();
      case RESPONSE_HEADERS -> response.setResponseHeaders(headers).build();
      case REQUEST_BODY -> response.setRequestBody(body).build();
      case RESPONSE_BODY -> response.setResponseBody(body).build();
      default -> throw new IllegalArgumentException("no trailers in these tests: " + request.getRequestCase());
    };
  }

  ExtProcessSpec spec(ProcessingModeSpec mode) {
    return new ExtProcessSpec("127.0.0.1", server.getPort(), false, mode);
  }

  /** The {@code index}th stream opened, waiting up to 5 s for it. */
  RecordedStream stream(int index) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    synchronized (streams) {
      while (streams.size() <= index) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("stream " + index + " never opened");
        }
        TimeUnit.NANOSECONDS.timedWait(streams, left);
      }
      return streams.get(index);
    }
  }

  int streamCount() {
    synchronized (streams) {
      return streams.size();
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
