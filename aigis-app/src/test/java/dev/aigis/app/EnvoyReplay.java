package dev.aigis.app;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Envoy's ext_proc HTTP filter in front of an upstream, replayed over a real gRPC channel: for one
 * HTTP exchange it sends the messages Envoy sends (pseudo-headers, lower-case names, values in
 * {@code raw_value}), honours the processing mode (and a {@code mode_override} when the filter
 * allows it), applies each answer as Envoy does (header mutations with their append actions,
 * {@code :path}/{@code :authority}/{@code :status}, body replacement and clearing, immediate
 * responses), calls the upstream with the request as mutated, and replays its answer.
 *
 * <p>What it leaves out, because no processor can see it: Envoy's own headers
 * ({@code x-forwarded-*}, {@code x-envoy-*}), host rewriting, retries, and its buffer limits.
 * Waiting on answers is bounded only so that a broken server fails a test instead of hanging it.
 */
final class EnvoyReplay implements AutoCloseable {

  private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

  /** The filter's configuration: its processing mode, and whether the server may override it. */
  record Filter(String name, ProcessingMode mode, boolean allowModeOverride) {

    /**
     * What {@code ExtProcServer} asks of Envoy: request headers sent, bodies not, and
     * {@code allow_mode_override} so the server asks for a BUFFERED body per exchange.
     */
    static final Filter OVERRIDABLE = new Filter("overridable headers-only filter", ProcessingMode.newBuilder()
        .setRequestHeaderMode(HeaderSendMode.SEND).setResponseHeaderMode(HeaderSendMode.SEND)
        .setRequestBodyMode(BodySendMode.NONE).setResponseBodyMode(BodySendMode.NONE)
        .setRequestTrailerMode(HeaderSendMode.SKIP).setResponseTrailerMode(HeaderSendMode.SKIP).build(), true);

    /**
     * The EnvoyExtensionPolicy of docs/processing.md: request body Buffered, response body Streamed,
     * no override; the server gets the response body in the chunks the upstream sent.
     */
    static final Filter STREAMED_RESPONSE = new Filter("Envoy Gateway policy, response Streamed", ProcessingMode.newBuilder()
        .setRequestHeaderMode(HeaderSendMode.SEND).setResponseHeaderMode(HeaderSendMode.SEND)
        .setRequestBodyMode(BodySendMode.BUFFERED).setResponseBodyMode(BodySendMode.STREAMED)
        .setRequestTrailerMode(HeaderSendMode.SKIP).setResponseTrailerMode(HeaderSendMode.SKIP).build(), false);

    @Override
    public String toString() {
      return name;
    }
  }

  /** An HTTP request: header names lower-case, values in order. */
  record Request(String method, String path, String authority, Map<String, List<String>> headers, byte[] body) {

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /** An HTTP answer: the upstream's, with its body in the chunks it arrived in, or the client's, in one. */
  record Answer(int status, Map<String, List<String>> headers, List<byte[]> chunks) {

    byte[] body() {
      var out = new ByteArrayOutputStream();
      chunks.forEach(out::writeBytes);
      return out.toByteArray();
    }

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /**
   * One exchange as Envoy ran it.
   *
   * @param upstream the request Envoy sent upstream; null when the server answered before Envoy sent one
   * @param client the answer the client got
   * @param immediate whether that answer is the server's ImmediateResponse
   */
  record Outcome(Request upstream, Answer client, boolean immediate) {}

  private final ManagedChannel channel;

  EnvoyReplay(int port) {
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Opens a bare stream, for tests that send messages themselves. */
  Stream open() {
    var stream = new Stream();
    ExternalProcessorGrpc.newStub(channel).process(stream);
    return stream;
  }

  /** Runs {@code request} through the filter; {@code upstream} answers the request as mutated. */
  Outcome exchange(Filter filter, Request request, Function<Request, Answer> upstream) throws InterruptedException {
    Stream stream = open();
    try {
      return run(stream, filter, request, upstream);
    } finally {
      stream.halfClose();
      stream.awaitEnd();
    }
  }

  private static Outcome run(Stream stream, Filter filter, Request client, Function<Request, Answer> upstream)
      throws InterruptedException {
    ProcessingMode mode = filter.mode();
    var headers = copy(client.headers());
    String[] path = {client.path()};
    String[] authority = {client.authority()};
    byte[] body = client.body();

    // ---- request headers, then the body if the mode sends it ----
    stream.send(ProcessingRequest.newBuilder().setRequestHeaders(HttpHeaders.newBuilder()
        .setHeaders(requestHeaderMap(client.method(), path[0], authority[0], headers))
        .setEndOfStream(body.length == 0)).build());
    ProcessingResponse answer = stream.next();
    if (answer.hasImmediateResponse()) {
      return immediate(answer.getImmediateResponse(), null);
    }
    require(answer.hasRequestHeaders(), "request_headers", answer);
    CommonResponse common = answer.getRequestHeaders().getResponse();
    applyRequest(common.getHeaderMutation(), headers, path, authority);
    if (answer.hasModeOverride() && filter.allowModeOverride()) {
      mode = answer.getModeOverride();
    }
    if (body.length > 0 && mode.getRequestBodyMode() != BodySendMode.NONE) {
      stream.send(ProcessingRequest.newBuilder().setRequestBody(HttpBody.newBuilder()
          .setBody(ByteString.copyFrom(body)).setEndOfStream(true)).build());
      answer = stream.next();
      if (answer.hasImmediateResponse()) {
        return immediate(answer.getImmediateResponse(), null);
      }
      require(answer.hasRequestBody(), "request_body", answer);
      common = answer.getRequestBody().getResponse();
      applyRequest(common.getHeaderMutation(), headers, path, authority);
      body = mutated(common.getBodyMutation(), body);
    }
    var sent = new Request(client.method(), path[0], authority[0], headers, body);

    // ---- the upstream's answer: its head, then its body as the mode sends it ----
    Answer reply = upstream.apply(sent);
    int status = reply.status();
    var responseHeaders = copy(reply.headers());
    boolean hasBody = reply.chunks().stream().anyMatch(c -> c.length > 0);
    if (mode.getResponseHeaderMode() == HeaderSendMode.SEND) {
      HeaderMap.Builder map = HeaderMap.newBuilder().addHeaders(header(":status", Integer.toString(status)));
      responseHeaders.forEach((name, values) -> values.forEach(v -> map.addHeaders(header(name, v))));
      stream.send(ProcessingRequest.newBuilder().setResponseHeaders(HttpHeaders.newBuilder()
          .setHeaders(map).setEndOfStream(!hasBody)).build());
      answer = stream.next();
      if (answer.hasImmediateResponse()) {
        return immediate(answer.getImmediateResponse(), sent);
      }
      require(answer.hasResponseHeaders(), "response_headers", answer);
      status = applyResponse(answer.getResponseHeaders().getResponse().getHeaderMutation(), responseHeaders, status);
      if (answer.hasModeOverride() && filter.allowModeOverride()) {
        mode = answer.getModeOverride();
      }
    }
    List<byte[]> chunks = reply.chunks().stream().filter(c -> c.length > 0).toList();
    List<byte[]> out = new ArrayList<>(chunks.size());
    if (hasBody && mode.getResponseBodyMode() == BodySendMode.BUFFERED) {
      chunks = List.of(reply.body());
    }
    if (hasBody && mode.getResponseBodyMode() != BodySendMode.NONE) {
      // Streamed chunks go out as they arrive, without waiting; answers come back in order.
      for (int i = 0; i < chunks.size(); i++) {
        stream.send(ProcessingRequest.newBuilder().setResponseBody(HttpBody.newBuilder()
            .setBody(ByteString.copyFrom(chunks.get(i))).setEndOfStream(i == chunks.size() - 1)).build());
      }
      for (byte[] chunk : chunks) {
        answer = stream.next();
        if (answer.hasImmediateResponse()) {
          return immediate(answer.getImmediateResponse(), sent);
        }
        require(answer.hasResponseBody(), "response_body", answer);
        common = answer.getResponseBody().getResponse();
        status = applyResponse(common.getHeaderMutation(), responseHeaders, status);
        out.add(mutated(common.getBodyMutation(), chunk));
      }
    } else {
      out.addAll(chunks);
    }
    return new Outcome(sent, new Answer(status, responseHeaders, out), false);
  }

  private static void require(boolean expected, String what, ProcessingResponse answer) {
    if (!expected) {
      throw new AssertionError("Envoy expected an answer to " + what + ", got " + answer);
    }
  }

  private static Outcome immediate(ImmediateResponse reply, Request sent) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    applyHeaders(reply.getHeaders(), headers);
    return new Outcome(sent, new Answer(reply.getStatus().getCodeValue(), headers,
        List.of(reply.getBody().toByteArray())), true);
  }

  private static byte[] mutated(BodyMutation mutation, byte[] original) {
    return switch (mutation.getMutationCase()) {
      case BODY -> mutation.getBody().toByteArray();
      case CLEAR_BODY -> new byte[0];
      default -> original;
    };
  }

  // ---- headers ----

  private static HeaderMap requestHeaderMap(String method, String path, String authority, Map<String, List<String>> headers) {
    HeaderMap.Builder map = HeaderMap.newBuilder()
        .addHeaders(header(":method", method)).addHeaders(header(":path", path))
        .addHeaders(header(":authority", authority)).addHeaders(header(":scheme", "http"));
    headers.forEach((name, values) -> {
      if (!name.equals("host")) { // Envoy presents Host as :authority
        values.forEach(v -> map.addHeaders(header(name, v)));
      }
    });
    return map.build();
  }

  private static HeaderValue header(String name, String value) {
    return HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)).build();
  }

  private static void applyRequest(HeaderMutation mutation, Map<String, List<String>> headers, String[] path,
      String[] authority) {
    Map<String, List<String>> pseudo = new LinkedHashMap<>();
    applyHeaders(mutation, headers, pseudo);
    if (pseudo.containsKey(":path")) {
      path[0] = pseudo.get(":path").getLast();
    }
    if (pseudo.containsKey(":authority")) {
      authority[0] = pseudo.get(":authority").getLast();
    }
  }

  /** Applies a response mutation; returns the status, changed if {@code :status} was set. */
  private static int applyResponse(HeaderMutation mutation, Map<String, List<String>> headers, int status) {
    Map<String, List<String>> pseudo = new LinkedHashMap<>();
    applyHeaders(mutation, headers, pseudo);
    return pseudo.containsKey(":status") ? Integer.parseInt(pseudo.get(":status").getLast()) : status;
  }

  private static void applyHeaders(HeaderMutation mutation, Map<String, List<String>> headers) {
    applyHeaders(mutation, headers, new LinkedHashMap<>());
  }

  /** Removals first, then sets, as Envoy applies them; pseudo-headers are collected apart. */
  private static void applyHeaders(HeaderMutation mutation, Map<String, List<String>> headers,
      Map<String, List<String>> pseudo) {
    for (String name : mutation.getRemoveHeadersList()) {
      headers.remove(name.toLowerCase(Locale.ROOT));
    }
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
      String value = option.getHeader().getRawValue().isEmpty() ? option.getHeader().getValue()
          : option.getHeader().getRawValue().toString(StandardCharsets.UTF_8);
      Map<String, List<String>> target = name.startsWith(":") ? pseudo : headers;
      boolean exists = target.containsKey(name);
      boolean append;
      if (option.hasAppend()) {
        append = option.getAppend().getValue(); // the deprecated field wins when set, as in Envoy
      } else {
        HeaderAppendAction action = option.getAppendAction();
        if ((action == HeaderAppendAction.ADD_IF_ABSENT && exists)
            || (action == HeaderAppendAction.OVERWRITE_IF_EXISTS && !exists)) {
          continue;
        }
        append = action == HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD || action == HeaderAppendAction.ADD_IF_ABSENT;
      }
      if (!append) {
        target.remove(name);
      }
      target.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
    }
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
    return copy;
  }

  // ---- the upstream leg ----

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Headers of the connection, not the message: java.net.http sets them itself, as Envoy does. */
  private static final Set<String> CONNECTION_HEADERS = Set.of("host", "content-length", "connection", "expect",
      "upgrade", "transfer-encoding", "keep-alive", "te");

  /**
   * Envoy's upstream leg to {@code baseUrl}: the request as the processors left it, plus {@code
   * credentials} (Envoy's own credential injection, as Envoy AI Gateway's BackendSecurityPolicy
   * does); the answer's body in the chunks it arrived in. {@code timeout} bounds the wait for the head.
   */
  static Function<Request, Answer> upstreamAt(String baseUrl, Map<String, String> credentials, Duration timeout) {
    return sent -> {
      var http = HttpRequest.newBuilder(URI.create(baseUrl + sent.path())).timeout(timeout)
          .method(sent.method(), HttpRequest.BodyPublishers.ofByteArray(sent.body()));
      sent.headers().forEach((name, values) -> {
        if (!CONNECTION_HEADERS.contains(name)) {
          values.forEach(value -> http.header(name, value));
        }
      });
      credentials.forEach(http::setHeader);
      try {
        HttpResponse<List<byte[]>> response = HTTP.send(http.build(), info -> new Chunks());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!lower.startsWith(":") && !CONNECTION_HEADERS.contains(lower)) {
            headers.put(lower, values);
          }
        });
        return new Answer(response.statusCode(), headers, response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  /** A body as the chunks the client read, one per delivery. */
  private static final class Chunks implements HttpResponse.BodySubscriber<List<byte[]>> {
    private final CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
    private final List<byte[]> chunks = new ArrayList<>();

    @Override
    public CompletionStage<List<byte[]>> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
      byte[] chunk = new byte[size];
      int at = 0;
      for (ByteBuffer buffer : buffers) {
        int n = buffer.remaining();
        buffer.get(chunk, at, n);
        at += n;
      }
      chunks.add(chunk);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(List.copyOf(chunks));
    }
  }

  /** Envoy's end of one {@code Process} stream. */
  static final class Stream implements ClientResponseObserver<ProcessingRequest, ProcessingResponse> {
    private final BlockingQueue<ProcessingResponse> answers = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
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

    void send(ProcessingRequest message) {
      requests.onNext(message);
    }

    /** The next answer; fails (after a bound that only a broken server reaches) when none comes, or the stream ended. */
    ProcessingResponse next() throws InterruptedException {
      ProcessingResponse answer = answers.poll(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (answer == null) {
        throw new AssertionError("the ext_proc server sent no answer"
            + (end.isDone() ? "; the stream ended with " + end.getNow(null) : " within " + ANSWER_WAIT));
      }
      return answer;
    }

    /** Ends Envoy's side, unless the server already ended the stream. */
    void halfClose() {
      if (!end.isDone()) {
        requests.onCompleted();
      }
    }

    /** Waits for the server to end the stream; the status it ended with. */
    Status awaitEnd() throws InterruptedException {
      try {
        return end.get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the ext_proc stream did not end", e);
      }
    }
  }
}
