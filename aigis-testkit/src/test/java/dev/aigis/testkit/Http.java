package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Blocking HTTP/1.1 calls and SSE splitting for the tests. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  static HttpResponse<String> post(FakeOpenAiUpstream upstream, String path, String body,
      String... headers) {
    var request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
        .timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  static HttpResponse<String> get(FakeOpenAiUpstream upstream, String path) {
    return send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    return sendWith(CLIENT, request);
  }

  static HttpResponse<String> sendWith(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(text, e);
    }
  }

  /** The {@code data:} payloads of an SSE body, in order. */
  static List<String> sseData(String body) {
    return Arrays.stream(body.split("\n\n"))
        .filter(event -> !event.isBlank())
        .map(event -> {
          if (!event.startsWith("data: ")) {
            throw new AssertionError("not an SSE data event: " + event);
          }
          return event.substring("data: ".length());
        })
        .toList();
  }
}
