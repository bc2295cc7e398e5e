package dev.aigis.server.extproc;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's side of ext_proc over a real grpc-java channel (netty-shaded): opens streams and sends
 * the messages Envoy's ext_proc filter sends, in its shapes (lower-case names, {@code raw_value},
 * pseudo-headers).
 */
final class FakeEnvoy implements AutoCloseable {

  private final ManagedChannel channel;

  FakeEnvoy(int port) {
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  Stream open() {
    var stream = new Stream();
    ExternalProcessorGrpc.newStub(channel).process(stream);
    return stream;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static final class Stream implements ClientResponseObserver<ProcessingRequest, ProcessingResponse> {
    private final BlockingQueue<ProcessingResponse> answers = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    private ClientCallStreamObserver<ProcessingRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<ProcessingRequest> stream) {
      requests = stream;
    }

    @Override
    public void onNext(ProcessingResponse value) {
      answers.add(value);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }

    Stream send(ProcessingRequest message) {
      requests.onNext(message);
      return this;
    }

    ProcessingResponse next() throws InterruptedException {
      ProcessingResponse answer = answers.poll(5, TimeUnit.SECONDS);
      if (answer == null) {
        throw new AssertionError("no answer within 5 s");
      }
      return answer;
    }

    /** The next answer already received, or null; after {@link #awaitEnd} that is every answer sent. */
    ProcessingResponse received() {
      return answers.poll();
    }

    void halfClose() {
      requests.onCompleted();
    }

    void cancel() {
      requests.cancel("client went away", null);
    }

    Status awaitEnd() throws Exception {
      return end.get(5, TimeUnit.SECONDS);
    }
  }

  // ---- Envoy's messages ----

  static ProcessingRequest requestHeaders(boolean endOfStream, String... namesAndValues) {
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map(namesAndValues)).setEndOfStream(endOfStream))
        .build();
  }

  static ProcessingRequest requestBody(String body, boolean endOfStream) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(body)).setEndOfStream(endOfStream))
        .build();
  }

  static ProcessingRequest responseHeaders(boolean endOfStream, String... namesAndValues) {
    return ProcessingRequest.newBuilder()
        .setResponseHeaders(HttpHeaders.newBuilder().setHeaders(map(namesAndValues)).setEndOfStream(endOfStream))
        .build();
  }

  static ProcessingRequest responseBody(String body, boolean endOfStream) {
    return ProcessingRequest.newBuilder()
        .setResponseBody(HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(body)).setEndOfStream(endOfStream))
        .build();
  }

  /** A chat completion POST as Envoy presents it. */
  static ProcessingRequest chatHeaders(boolean endOfStream, String... extra) {
    String[] base = {":method", "POST", ":path", "/v1/chat/completions?trace=1", ":authority", "llm.example",
        ":scheme", "http", "content-type", "application/json"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return requestHeaders(endOfStream, all);
  }

  private static HeaderMap map(String... namesAndValues) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.addHeaders(HeaderValue.newBuilder().setKey(namesAndValues[i])
          .setRawValue(ByteString.copyFromUtf8(namesAndValues[i + 1])));
    }
    return map.build();
  }

  // ---- reading answers ----

  /** The set_headers of a mutation as name to value (the last value wins). */
  static Map<String, String> setHeaders(HeaderMutation mutation) {
    Map<String, String> set = new LinkedHashMap<>();
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      set.put(option.getHeader().getKey(), option.getHeader().getRawValue().toString(StandardCharsets.UTF_8));
    }
    return set;
  }
}
