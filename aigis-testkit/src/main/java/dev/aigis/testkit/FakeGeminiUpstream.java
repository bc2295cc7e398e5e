package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import dev.aigis.core.echo.WordOverlap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server (127.0.0.1, a free port) answering like Gemini's {@code generateContent} and
 * {@code streamGenerateContent?alt=sse}, in one of two modes:
 *
 * <ul>
 *   <li>{@link #startGemini Google AI}: {@code POST /v1beta/models/{model}:...}, key in
 *       {@code x-goog-api-key} (wrong or missing: 401/403 as Google answers).
 *   <li>{@link #startVertex Vertex AI}: {@code POST /v1/projects/{p}/locations/{l}/publishers/google/
 *       models/{model}:...}, and Claude at {@code .../publishers/anthropic/models/{model}:rawPredict}
 *       or {@code :streamRawPredict} ({@code anthropic_version: vertex-2023-10-16}, no model in the
 *       body; Anthropic's answers, scripted with {@link #scriptClaude}) and {@code
 *       count-tokens:rawPredict}, with {@code Authorization: Bearer} of a token this fake issued, and the
 *       token endpoint {@code POST /token} (JWT bearer grant: RS256 signature checked against the
 *       service account's public key, {@code iss}, {@code aud}, {@code scope}, {@code exp}).
 * </ul>
 *
 * <p>It refuses, with Google's {@code {"error":{"code","message","status"}}} 400, what Gemini
 * refuses: no {@code contents}, roles other than user/model, empty {@code parts} or empty parts,
 * {@code functionCall} outside model turns, a {@code functionResponse} whose name no earlier
 * {@code functionCall} used. Replies are scripted ({@link #script}), else {@link Reply#text} of a
 * default. Thread-safe.
 */
public final class FakeGeminiUpstream implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern GEMINI_PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)");
  static final Pattern VERTEX_PATH = Pattern.compile(
      "/v1/projects/([^/]+)/locations/([^/]+)/publishers/google/models/([^/:]+):(generateContent|streamGenerateContent|predict)");

  /** Claude on Vertex AI: Anthropic's publisher models, and their token counter (model {@code count-tokens}). */
  /** The Vertex AI ranking API (Discovery Engine), served in Vertex mode. */
  static final Pattern VERTEX_RANK_PATH = Pattern.compile(
      "/v1/projects/([^/]+)/locations/global/rankingConfigs/default_ranking_config:rank");
  static final Pattern VERTEX_CLAUDE_PATH = Pattern.compile(
      "/v1/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/([^/:]+):(rawPredict|streamRawPredict)");

  /** A scripted function call; {@code argsJson} is a JSON object. */
  public record FunctionCall(String name, String argsJson) {}

  /**
   * What one generate request gets. Faults: {@code httpStatus} answers with Google's error body;
   * streams only: an error object after {@code errorAfterEvents} events, or the end after
   * {@code truncateAfterEvents} events without a finishReason.
   */
  public record Reply(String text, List<FunctionCall> calls, int promptTokens, int candidatesTokens,
      int cachedTokens, int thoughtsTokens, String finishReason, int errorAfterEvents,
      int truncateAfterEvents, int httpStatus, String errorMessage) {

    public Reply {
      calls = List.copyOf(calls);
    }

    public static Reply text(String text) {
      return new Reply(text, List.of(), 10, -1, 0, 0, "STOP", -1, -1, 0, null);
    }

    public static Reply httpError(int status, String message) {
      return new Reply("", List.of(), 0, 0, 0, 0, "STOP", -1, -1, status, message);
    }

    /** A response blocked by safety filters: finishReason SAFETY and no content. */
    public static Reply safetyBlock() {
      return new Reply("", List.of(), 10, 0, 0, 0, "SAFETY", -1, -1, 0, null);
    }

    public Reply withCall(String name, String argsJson) {
      List<FunctionCall> all = new ArrayList<>(calls);
      all.add(new FunctionCall(name, argsJson));
      return new Reply(text, all, promptTokens, candidatesTokens, cachedTokens, thoughtsTokens, finishReason,
          errorAfterEvents, truncateAfterEvents, httpStatus, errorMessage);
    }

    public Reply withUsage(int prompt, int candidates, int cached, int thoughts) {
      return new Reply(text, calls, prompt, candidates, cached, thoughts, finishReason, errorAfterEvents,
          truncateAfterEvents, httpStatus, errorMessage);
    }

    public Reply withErrorAfter(int events, String message) {
      return new Reply(text, calls, promptTokens, candidatesTokens, cachedTokens, thoughtsTokens, finishReason,
          events, truncateAfterEvents, httpStatus, message);
    }

    public Reply withTruncationAfter(int events) {
      return new Reply(text, calls, promptTokens, candidatesTokens, cachedTokens, thoughtsTokens, finishReason,
          errorAfterEvents, events, httpStatus, errorMessage);
    }
  }

  static final class Rejected extends RuntimeException {
    final int status;
    final String code;

    Rejected(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }

    static Rejected invalid(String message) {
      return new Rejected(400, "INVALID_ARGUMENT", message);
    }
  }

  private final Vertx vertx;
  private final String apiKey;
  private final TestServiceAccount account;
  private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<FakeAnthropicUpstream.Reply> claudeQueue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private volatile Reply defaultReply = Reply.text("Hello from the fake Gemini.");
  private volatile int tokenLifetimeSeconds = 3600;
  private volatile int tokenStatus = 200;
  private int port;

  private FakeGeminiUpstream(Vertx vertx, String apiKey, TestServiceAccount account) {
    this.vertx = vertx;
    this.apiKey = apiKey;
    this.account = account;
  }

  /** Google AI mode, accepting only {@code apiKey}. */
  public static FakeGeminiUpstream startGemini(String apiKey) {
    return start(Objects.requireNonNull(apiKey, "apiKey"), null);
  }

  /** Vertex AI mode: tokens are issued at {@link #tokenUrl()} to {@code account} only. */
  public static FakeGeminiUpstream startVertex(TestServiceAccount account) {
    return start(null, Objects.requireNonNull(account, "account"));
  }

  private static FakeGeminiUpstream start(String apiKey, TestServiceAccount account) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    var upstream = new FakeGeminiUpstream(vertx, apiKey, account);
    try {
      upstream.port = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setIdleTimeout(0))
          .requestHandler(upstream::handle).listen(0, "127.0.0.1")).actualPort();
      return upstream;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String tokenUrl() {
    return baseUrl() + "/token";
  }

  public void script(Reply reply) {
    queue.add(Objects.requireNonNull(reply));
  }

  public void setDefault(Reply reply) {
    defaultReply = Objects.requireNonNull(reply);
  }

  /** Lifetime ({@code expires_in}) of the tokens issued from now on. */
  public void setTokenLifetimeSeconds(int seconds) {
    tokenLifetimeSeconds = seconds;
  }

  /** Makes the token endpoint answer {@code status} with {@code {"error":"invalid_grant"}} (200 restores). */
  public void setTokenStatus(int status) {
    tokenStatus = status;
  }

  /** How many token requests were answered with a token. */
  public int tokensIssued() {
    return tokenRequests.get();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The latest generate request (token requests are not counted), or null. */
  public RecordedRequest lastRequest() {
    RecordedRequest last = null;
    for (RecordedRequest r : requests) {
      if (!r.path().startsWith("/token")) {
        last = r;
      }
    }
    return last;
  }

  public void reset() {
    queue.clear();
    claudeQueue.clear();
    requests.clear();
    tokenStatus = 200;
    tokenLifetimeSeconds = 3600;
    defaultReply = Reply.text("Hello from the fake Gemini.");
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  // ---- serving, on the event loop ----

  private void handle(HttpServerRequest request) {
    request.body().onComplete(body -> {
      if (body.succeeded()) {
        serve(request, body.result().getBytes());
      } else {
        request.response().setStatusCode(400).end();
      }
    });
  }

  /**
   * A ranking answer: each record scored by the share of the query's words its content holds, best
   * first, cut at {@code topN}; a request without a model, query or records is a 400.
   */
  private static JsonNode rank(byte[] body) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      throw Rejected.invalid("Invalid JSON payload received.");
    }
    if (!request.path("model").isTextual() || !request.path("query").isTextual()
        || !request.path("records").isArray() || request.path("records").isEmpty()) {
      throw Rejected.invalid("model, query and records are required");
    }
    List<Map.Entry<String, Double>> scored = new java.util.ArrayList<>();
    for (JsonNode record : request.path("records")) {
      scored.add(Map.entry(record.path("id").asText(),
          WordOverlap.score(request.path("query").asText(), record.path("content").asText())));
    }
    scored.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    var answer = JSON.createObjectNode();
    var records = answer.putArray("records");
    scored.stream().limit(request.path("topN").asInt(scored.size()))
        .forEach(e -> records.addObject().put("id", e.getKey()).put("score", e.getValue()));
    return answer;
  }

  private void serve(HttpServerRequest request, byte[] body) {
    requests.add(record(request, body));
    try {
      if (request.method() != HttpMethod.POST) {
        throw new Rejected(404, "NOT_FOUND", "Not found: " + request.method() + " " + request.path());
      }
      if (account != null && request.path().equals("/token")) {
        token(request, body);
        return;
      }
      if (account != null && VERTEX_RANK_PATH.matcher(request.path()).matches()) {
        authorize(request);
        send(request.response(), 200, rank(body));
        return;
      }
      Matcher claude = VERTEX_CLAUDE_PATH.matcher(request.path());
      if (account != null && claude.matches()) {
        authorize(request);
        claude(request, body, claude);
        return;
      }
      Matcher m = (account == null ? GEMINI_PATH : VERTEX_PATH).matcher(request.path());
      if (!m.matches()) {
        throw new Rejected(404, "NOT_FOUND", "Not found: " + request.path());
      }
      boolean stream = m.group(m.groupCount()).equals("streamGenerateContent");
      if (stream && !"sse".equals(request.getParam("alt"))) {
        throw Rejected.invalid("this fake streams only with alt=sse");
      }
      authorize(request);
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (IOException e) {
        throw Rejected.invalid("Invalid JSON payload received.");
      }
      String operation = m.group(m.groupCount());
      if (operation.equals("batchEmbedContents") || operation.equals("predict")) {
        send(request.response(), 200, embeddings(json, account == null ? m.group(1) : m.group(3), operation));
        return;
      }
      check(json);
      Reply reply = queue.poll();
      reply = reply != null ? reply : defaultReply;
      if (reply.httpStatus() > 0) {
        throw new Rejected(reply.httpStatus(), reply.httpStatus() == 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL",
            reply.errorMessage());
      }
      if (!reply.calls().isEmpty() && !json.path("tools").isArray()) {
        throw new Rejected(500, "INTERNAL", "fake: the scripted reply has calls but the request declares no tools");
      }
      String model = account == null ? m.group(1) : m.group(3);
      if (stream) {
        stream(request.response(), reply, model);
      } else {
        send(request.response(), 200, whole(reply, model));
      }
    } catch (Rejected e) {
      send(request.response(), e.status, error(e.status, e.code, e.getMessage()));
    } catch (RuntimeException e) {
      // A bug in the fake must not look like a hung upstream: answer it, loudly.
      send(request.response(), 500, error(500, "INTERNAL", "fake failed: " + e));
    }
  }

  /**
   * Claude on Vertex AI ({@code rawPredict}/{@code streamRawPredict}; {@code count-tokens}), answered
   * with Anthropic's JSON, events and errors, from {@link #scriptClaude}'s queue.
   */
  private void claude(HttpServerRequest request, byte[] body, Matcher m) {
    String model = java.net.URLDecoder.decode(m.group(3), java.nio.charset.StandardCharsets.UTF_8);
    boolean stream = m.group(4).equals("streamRawPredict");
    try {
      if (model.equals("count-tokens")) {
        send(request.response(), 200, ClaudeOnCloud.count(ClaudeOnCloud.parse(body)));
        return;
      }
      var json = ClaudeOnCloud.messages(body, ClaudeOnCloud.VERTEX_VERSION, model);
      if (stream != json.path("stream").asBoolean(false)) {
        throw AnthropicRequestCheck.Rejected.invalid("stream: streamRawPredict needs stream true, rawPredict false");
      }
      FakeAnthropicUpstream.Reply reply = claudeQueue.poll();
      reply = reply != null ? reply : FakeAnthropicUpstream.Reply.text("Hello from Claude on Vertex.");
      if (reply.httpStatus() > 0) {
        throw new AnthropicRequestCheck.Rejected(reply.httpStatus(), reply.errorType(), reply.errorMessage());
      }
      ClaudeOnCloud.requireTools(reply, json);
      var events = new AnthropicEvents(reply, json, "msg_vrtx_" + UUID.randomUUID().toString().substring(0, 8));
      if (stream) {
        var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        events.stream().forEach(response::write);
        response.end();
      } else {
        send(request.response(), 200, events.message());
      }
    } catch (AnthropicRequestCheck.Rejected e) {
      send(request.response(), e.status, AnthropicEvents.error(e.type, e.getMessage()));
    }
  }

  /** Queues a reply for the next Claude request (Vertex mode). */
  public void scriptClaude(FakeAnthropicUpstream.Reply reply) {
    claudeQueue.add(Objects.requireNonNull(reply));
  }

  private void authorize(HttpServerRequest request) {
    if (account == null) {
      String key = request.getHeader("x-goog-api-key");
      if (key == null) {
        throw new Rejected(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers. Please use an API Key.");
      }
      if (!key.equals(apiKey)) {
        throw Rejected.invalid("API key not valid. Please pass a valid API key.");
      }
      return;
    }
    String auth = request.getHeader("authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !issued.contains(auth.substring("Bearer ".length()))) {
      throw new Rejected(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    }
  }

  private void token(HttpServerRequest request, byte[] body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String problem = assertionProblem(form);
    if (problem != null || tokenStatus != 200) {
      ObjectNode error = JSON.createObjectNode().put("error", "invalid_grant")
          .put("error_description", problem != null ? problem : "scripted failure");
      send(request.response(), problem != null ? 400 : tokenStatus, error);
      return;
    }
    String token = "ya29.fake-" + UUID.randomUUID();
    issued.add(token);
    tokenRequests.incrementAndGet();
    send(request.response(), 200, JSON.createObjectNode().put("access_token", token)
        .put("expires_in", tokenLifetimeSeconds).put("token_type", "Bearer"));
  }

  /** What is wrong with the JWT bearer grant, or null. */
  private String assertionProblem(Map<String, String> form) {
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
      return "Invalid grant_type";
    }
    String jwt = form.get("assertion");
    String[] pieces = jwt == null ? new String[0] : jwt.split("\\.");
    if (pieces.length != 3) {
      return "Invalid JWT";
    }
    try {
      JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(pieces[0]));
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(pieces[1]));
      if (!"RS256".equals(header.path("alg").asText())) {
        return "Invalid JWT: alg must be RS256";
      }
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initVerify(account.publicKey());
      signature.update((pieces[0] + "." + pieces[1]).getBytes(StandardCharsets.US_ASCII));
      if (!signature.verify(Base64.getUrlDecoder().decode(pieces[2]))) {
        return "Invalid JWT Signature.";
      }
      long now = System.currentTimeMillis() / 1000;
      if (!account.clientEmail().equals(claims.path("iss").asText())) {
        return "Invalid JWT: iss";
      }
      String aud = claims.path("aud").isArray() ? claims.path("aud").path(0).asText() : claims.path("aud").asText();
      if (!tokenUrl().equals(aud)) {
        return "Invalid JWT: aud";
      }
      if (!claims.path("scope").asText().contains("https://www.googleapis.com/auth/cloud-platform")) {
        return "Invalid JWT: scope";
      }
      long exp = claims.path("exp").asLong();
      long iat = claims.path("iat").asLong();
      if (exp <= now || iat > now + 300 || exp - iat > 3600) {
        return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
      }
      return null;
    } catch (IOException | IllegalArgumentException | java.security.GeneralSecurityException e) {
      return "Invalid JWT";
    }
  }

  /**
   * {@code batchEmbedContents} (Google AI: each request's model must be {@code models/<path model>},
   * its content one text part) or {@code predict} (Vertex AI: {@code instances[].content}), answered
   * with {@link FakeEmbeddings} vectors; Vertex also reports {@code statistics.token_count}.
   */
  static ObjectNode embeddings(JsonNode json, String model, String operation) {
    ObjectNode out = JSON.createObjectNode();
    if (operation.equals("batchEmbedContents")) {
      JsonNode requests = json.path("requests");
      if (!requests.isArray() || requests.isEmpty()) {
        throw Rejected.invalid("* BatchEmbedContentsRequest.requests: requests is not specified");
      }
      var embeddings = out.putArray("embeddings");
      for (JsonNode one : requests) {
        if (!("models/" + model).equals(one.path("model").asText())) {
          throw Rejected.invalid("Model names should be in the form models/" + model + "; got " + one.path("model"));
        }
        JsonNode text = one.path("content").path("parts").path(0).path("text");
        if (!text.isTextual()) {
          throw Rejected.invalid("* BatchEmbedContentsRequest.requests[].content: content is not specified");
        }
        embeddings.addObject().set("values", FakeEmbeddings.values(text.asText()));
      }
    } else {
      JsonNode instances = json.path("instances");
      if (!instances.isArray() || instances.isEmpty()) {
        throw Rejected.invalid("instances is required");
      }
      var predictions = out.putArray("predictions");
      for (JsonNode instance : instances) {
        JsonNode text = instance.path("content");
        if (!text.isTextual()) {
          throw Rejected.invalid("instances[].content is required");
        }
        ObjectNode embeddings = predictions.addObject().putObject("embeddings");
        embeddings.set("values", FakeEmbeddings.values(text.asText()));
        embeddings.putObject("statistics").put("token_count", FakeEmbeddings.tokens(text.asText())).put("truncated", false);
      }
    }
    return out;
  }

  /** The shape rules Gemini enforces on a GenerateContentRequest. */
  static void check(JsonNode json) {
    JsonNode contents = json.get("contents");
    if (contents == null || !contents.isArray() || contents.isEmpty()) {
      throw Rejected.invalid("* GenerateContentRequest.contents: contents is not specified");
    }
    Set<String> called = new HashSet<>();
    for (int i = 0; i < contents.size(); i++) {
      JsonNode turn = contents.get(i);
      String role = turn.path("role").asText("user");
      if (!role.equals("user") && !role.equals("model")) {
        throw Rejected.invalid("Please use a valid role: user, model.");
      }
      JsonNode parts = turn.get("parts");
      if (parts == null || !parts.isArray() || parts.isEmpty()) {
        throw Rejected.invalid("* GenerateContentRequest.contents[" + i + "].parts: contents.parts must not be empty.");
      }
      for (JsonNode part : parts) {
        if (!part.isObject() || part.isEmpty() || (part.has("text") && part.size() == 1 && part.path("text").asText().isEmpty())) {
          throw Rejected.invalid("* GenerateContentRequest.contents[" + i + "].parts: empty part");
        }
        if (part.has("functionCall")) {
          if (!role.equals("model")) {
            throw Rejected.invalid("functionCall is only allowed in model turns");
          }
          called.add(part.path("functionCall").path("name").asText());
        }
        if (part.has("functionResponse") && !called.contains(part.path("functionResponse").path("name").asText())) {
          throw Rejected.invalid("Please ensure that function response turn comes immediately after a function call turn.");
        }
      }
    }
    JsonNode system = json.get("systemInstruction");
    if (system != null && (!system.path("parts").isArray() || system.path("parts").isEmpty())) {
      throw Rejected.invalid("* GenerateContentRequest.system_instruction.parts: must not be empty");
    }
  }

  // ---- answers ----

  private static ObjectNode whole(Reply reply, String model) {
    ObjectNode out = base(model);
    ObjectNode candidate = out.putArray("candidates").addObject();
    ArrayNode parts = JSON.createArrayNode();
    if (!reply.text().isEmpty()) {
      parts.addObject().put("text", reply.text());
    }
    reply.calls().forEach(call -> functionCallPart(parts.addObject(), call));
    if (!parts.isEmpty()) {
      ObjectNode content = candidate.putObject("content").put("role", "model");
      content.set("parts", parts);
    }
    candidate.put("finishReason", reply.finishReason()).put("index", 0);
    out.set("usageMetadata", usage(reply));
    return out;
  }

  private static void stream(HttpServerResponse response, Reply reply, String model) {
    List<ObjectNode> events = new ArrayList<>();
    for (String word : reply.text().split("(?<= )")) {
      if (!word.isEmpty()) {
        ObjectNode event = base(model);
        ObjectNode content = event.putArray("candidates").addObject().putObject("content").put("role", "model");
        content.putArray("parts").addObject().put("text", word);
        events.add(event);
      }
    }
    for (FunctionCall call : reply.calls()) {
      ObjectNode event = base(model);
      ObjectNode content = event.putArray("candidates").addObject().putObject("content").put("role", "model");
      functionCallPart(content.putArray("parts").addObject(), call);
      events.add(event);
    }
    ObjectNode last = base(model);
    last.putArray("candidates").addObject().put("finishReason", reply.finishReason()).put("index", 0);
    last.set("usageMetadata", usage(reply));
    events.add(last);
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    for (int i = 0; i < events.size(); i++) {
      if (i == reply.errorAfterEvents()) {
        response.write("data: " + error(500, "INTERNAL", reply.errorMessage()) + "\r\n\r\n");
        break;
      }
      if (i == reply.truncateAfterEvents()) {
        break;
      }
      response.write("data: " + events.get(i) + "\r\n\r\n");
    }
    response.end();
  }

  private static void functionCallPart(ObjectNode part, FunctionCall call) {
    try {
      part.putObject("functionCall").put("name", call.name()).set("args", JSON.readTree(call.argsJson()));
    } catch (IOException e) {
      throw new IllegalArgumentException("function call args are not JSON: " + call.argsJson(), e);
    }
  }

  private static ObjectNode base(String model) {
    return JSON.createObjectNode().put("modelVersion", model).put("responseId", "fake-" + model);
  }

  private static ObjectNode usage(Reply reply) {
    int candidates = reply.candidatesTokens() >= 0 ? reply.candidatesTokens()
        : reply.text().isBlank() ? 0 : reply.text().trim().split("\\s+").length;
    ObjectNode usage = JSON.createObjectNode().put("promptTokenCount", reply.promptTokens())
        .put("candidatesTokenCount", candidates)
        .put("totalTokenCount", reply.promptTokens() + candidates + reply.thoughtsTokens());
    if (reply.cachedTokens() > 0) {
      usage.put("cachedContentTokenCount", reply.cachedTokens());
    }
    if (reply.thoughtsTokens() > 0) {
      usage.put("thoughtsTokenCount", reply.thoughtsTokens());
    }
    return usage;
  }

  static ObjectNode error(int status, String code, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("error").put("code", status).put("message", message).put("status", code);
    return out;
  }

  private static void send(HttpServerResponse response, int status, JsonNode body) {
    response.setStatusCode(status).putHeader("content-type", "application/json; charset=UTF-8")
        .end(Buffer.buffer(body.toString()));
  }

  private static RecordedRequest record(HttpServerRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    return new RecordedRequest(request.method().name(), request.uri(), Map.copyOf(headers), body);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("fake Gemini upstream: " + e.getMessage(), e);
    }
  }
}
