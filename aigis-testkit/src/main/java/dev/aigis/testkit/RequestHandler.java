package dev.aigis.testkit;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves one request: picks its behaviour on arrival (so the queue is FIFO by arrival), reads the
 * body, records it, applies the header delay and faults, then the endpoint. Runs on the event
 * loop of the connection; shared by every server instance.
 */
final class RequestHandler implements Handler<HttpServerRequest> {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence SSE =
      HttpHeaders.createOptimized("text/event-stream; charset=utf-8");

  private final FakeOpenAiUpstream upstream;
  private final Scheduler scheduler;
  private final AtomicLong ids = new AtomicLong();

  RequestHandler(FakeOpenAiUpstream upstream, Scheduler scheduler) {
    this.upstream = upstream;
    this.scheduler = scheduler;
  }

  void onConnection(HttpConnection connection) {
    upstream.connectionOpened();
    connection.closeHandler(v -> upstream.connectionClosed());
  }

  @Override
  public void handle(HttpServerRequest request) {
    Script script = upstream.scriptFor(request.getHeader(BehaviorHeader.NAME));
    request.body().onSuccess(body -> received(request, body.getBytes(), script));
  }

  private void received(HttpServerRequest request, byte[] body, Script script) {
    if (upstream.recorder().enabled()) {
      upstream.recorder().add(record(request, body));
    }
    if (script.headerDelayNanos > 0) {
      scheduler.schedule(Duration.ofNanos(script.headerDelayNanos), () -> respond(request, body, script));
    } else {
      respond(request, body, script);
    }
  }

  private void respond(HttpServerRequest request, byte[] body, Script script) {
    if (request.response().closed()) {
      return;
    }
    switch (script.behavior.fault()) {
      case CLOSE_CONNECTION -> {
        request.connection().close();
        return;
      }
      case HANG -> {
        return; // the client, or close(), ends it
      }
      default -> {}
    }
    if (script.statusBody != null) {
      send(request, script, script.behavior.status(), Buffer.buffer(script.statusBody));
      return;
    }
    String path = upstream.endpointPath(request.path());
    HttpMethod method = request.method();
    if (method == HttpMethod.POST && path.equals("/v1/chat/completions")) {
      completion(request, body, script, true);
    } else if (method == HttpMethod.POST && path.equals("/v1/completions")) {
      completion(request, body, script, false);
    } else if (method == HttpMethod.POST && path.equals("/v1/embeddings")) {
      embeddings(request, body, script);
    } else if (method == HttpMethod.GET && path.equals("/v1/models")) {
      send(request, script, 200, Buffer.buffer(OpenAiJson.MODELS));
    } else {
      send(request, script, 200, OpenAiJson.echo(method.name(), request.uri()));
    }
  }

  private void completion(HttpServerRequest request, byte[] body, Script script, boolean chat) {
    OpenAiRequest r;
    try {
      r = OpenAiRequest.parse(body);
      validate(r, chat);
    } catch (InvalidRequest e) {
      send(request, script, 400, OpenAiJson.error(e));
      return;
    }
    long id = ids.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    byte[] model = OpenAiJson.model(r.model());
    int prompt = promptTokens(script, r);
    int completion = script.completionTokens(chat);
    if (r.stream()) {
      byte[] usage = !r.includeUsage() ? null
          : chat ? OpenAiJson.chatUsage(prompt, completion)
          : OpenAiJson.textUsage(prompt, completion);
      byte[] prefix = chat
          ? OpenAiJson.chatChunkPrefix(id, created, model)
          : OpenAiJson.textChunkPrefix(id, created, model);
      HttpServerResponse response = request.response().setChunked(true);
      headers(response, script).putHeader(HttpHeaders.CONTENT_TYPE, SSE);
      response.writeHead();
      new SseStream(scheduler, request, script, chat, prefix, usage, upstream::streamCancelled, upstream.eventsCounter())
          .start();
      return;
    }
    Buffer answer = chat
        ? OpenAiJson.chatCompletion(id, created, model, script,
            OpenAiJson.chatUsage(prompt, completion))
        : OpenAiJson.textCompletion(id, created, model, script,
            OpenAiJson.textUsage(prompt, completion));
    long generation = script.generationNanos(chat);
    if (generation > 0) {
      scheduler.schedule(Duration.ofNanos(generation), () -> send(request, script, 200, answer));
    } else {
      send(request, script, 200, answer);
    }
  }

  private static void validate(OpenAiRequest r, boolean chat) throws InvalidRequest {
    requireModel(r);
    if (chat && r.messages() < 0) {
      throw InvalidRequest.missing("messages");
    }
    if (chat && r.messages() == 0) {
      throw new InvalidRequest("Invalid 'messages': empty array. Expected an array with minimum"
          + " length 1, but got an empty array instead.", "messages", "empty_array");
    }
    if (!chat && !r.hasPrompt()) {
      throw InvalidRequest.missing("prompt");
    }
  }

  private static void requireModel(OpenAiRequest r) throws InvalidRequest {
    if (r.model() == null) {
      throw new InvalidRequest("you must provide a model parameter", null, null);
    }
  }

  private void embeddings(HttpServerRequest request, byte[] body, Script script) {
    OpenAiRequest r;
    try {
      r = OpenAiRequest.parse(body);
      requireModel(r);
      if (r.inputHashes() == null) {
        throw InvalidRequest.missing("input");
      }
      if (r.inputHashes().length == 0) {
        throw new InvalidRequest("'$.input' is invalid: it must not be an empty array.", "input",
            null);
      }
    } catch (InvalidRequest e) {
      send(request, script, 400, OpenAiJson.error(e));
      return;
    }
    send(request, script, 200,
        OpenAiJson.embeddings(OpenAiJson.model(r.model()), r, promptTokens(script, r)));
  }

  private static int promptTokens(Script script, OpenAiRequest r) {
    int scripted = script.behavior.promptTokens();
    return scripted >= 0 ? scripted : r.estimatedPromptTokens();
  }

  private static void send(HttpServerRequest request, Script script, int status, Buffer body) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return;
    }
    headers(response.setStatusCode(status), script).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    response.end(body);
  }

  private static HttpServerResponse headers(HttpServerResponse response, Script script) {
    for (int i = 0; i < script.headerNames.length; i++) {
      response.putHeader(script.headerNames[i], script.headerValues[i]);
    }
    return response;
  }

  private static RecordedRequest record(HttpServerRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    return new RecordedRequest(
        request.method().name(), request.uri(), Collections.unmodifiableMap(headers), body);
  }
}
