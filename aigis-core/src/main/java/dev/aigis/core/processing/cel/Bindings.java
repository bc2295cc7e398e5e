package dev.aigis.core.processing.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.cel.runtime.CelVariableResolver;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CEL variables of one stage, resolved lazily (an expression that never reads the body never
 * decodes it) and memoised, so every expression of the stage sees the message as it was when the
 * stage started. One per stage; not thread-safe: before a stage moves to a worker thread, {@link
 * #prime} resolves on the exchange's thread everything its expressions read, so the worker reads
 * values, never the message.
 */
final class Bindings implements CelVariableResolver {

  private final ProcessedRequest request;
  private final ProcessedResponse response;
  private String body;
  private Map<String, String> requestHeaders;
  private Map<String, String> responseHeaders;
  private String model;

  Bindings(ProcessedRequest request, ProcessedResponse response) {
    this.request = request;
    this.response = response;
  }

  /** Resolves {@code names} now (see the class comment). */
  void prime(Set<String> names) {
    names.forEach(this::find);
  }

  @Override
  public Optional<Object> find(String name) {
    Object value = switch (name) {
      case CelDeclarations.REQUEST_BODY -> body();
      case CelDeclarations.REQUEST_HEADERS, CelDeclarations.K8S_REQUEST_HEADERS -> requestHeaders();
      case CelDeclarations.REQUEST_METHOD, CelDeclarations.K8S_REQUEST_METHOD -> request.method();
      case CelDeclarations.REQUEST_PATH, CelDeclarations.K8S_REQUEST_PATH -> request.path();
      case CelDeclarations.K8S_LLM_MODEL -> model();
      case CelDeclarations.RESPONSE_STATUS -> response == null ? null : (long) response.status();
      case CelDeclarations.RESPONSE_HEADERS -> response == null ? null : responseHeaders();
      case CelDeclarations.RESPONSE_USAGE -> response == null ? null : CelValues.usage(response.usage());
      default -> null;
    };
    return Optional.ofNullable(value);
  }

  private String body() {
    if (body == null) {
      byte[] bytes = request.body();
      body = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
    return body;
  }

  private Map<String, String> requestHeaders() {
    if (requestHeaders == null) {
      requestHeaders = CelValues.headers(request.headers());
    }
    return requestHeaders;
  }

  private Map<String, String> responseHeaders() {
    if (responseHeaders == null) {
      responseHeaders = CelValues.headers(response.headers());
    }
    return responseHeaders;
  }

  /** The model the body names now (a previous processor may have changed it), else the one the data plane read. */
  private String model() {
    if (model == null) {
      JsonNode named = request.hasBody() ? request.json().path("model") : null;
      model = named != null && named.isTextual() ? named.textValue()
          : request.model() == null ? "" : request.model();
    }
    return model;
  }
}
