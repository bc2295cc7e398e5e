package dev.aigis.core.backend;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.model.AIBackend;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.AwsCredentials;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.ProviderOptions;
import dev.aigis.model.backend.VertexConfig;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Resolved backends and requests for adapter tests, built as records. */
final class Backends {

  static final String NAME = "default/llm";

  private Backends() {}

  static ResolvedBackend backend(ApiSchema schema) {
    return backend(schema, null, null);
  }

  static ResolvedBackend backend(ApiSchema schema, String modelNameOverride, String apiVersion) {
    var endpoint = new BackendEndpoint.Url(true, "llm.example.com", 443, "");
    AwsCredentials aws = schema == ApiSchema.AWSBedrock ? new AwsCredentials("AKIDEXAMPLE", "secret", null) : null;
    String region = schema == ApiSchema.AWSBedrock ? "us-east-1" : null;
    if (schema == ApiSchema.AzureOpenAI && apiVersion == null) {
      apiVersion = "2024-10-21"; // required for Azure, as validation ensures
    }
    VertexConfig vertex = schema == ApiSchema.GCPVertexAI ? new VertexConfig("project-1", "us-central1", null) : null;
    var backend = new AIBackend(ObjectMeta.named("llm"), SourceRef.EMBEDDED, schema, endpoint, null, modelNameOverride,
        false, null, apiVersion, region, vertex);
    return new ResolvedBackend(backend, "sk-test", null, aws, null);
  }

  /** An endpoint-URL backend with these provider options ({@code spec.openai}, {@code spec.anthropic}). */
  static ResolvedBackend backend(ApiSchema schema, ProviderOptions options) {
    var endpoint = new BackendEndpoint.Url(true, "llm.example.com", 443, "");
    var backend = new AIBackend(ObjectMeta.named("llm"), SourceRef.EMBEDDED, schema, endpoint, null, null, false, null,
        null, null, null, null, null, options);
    return new ResolvedBackend(backend, "sk-test", null);
  }

  static ResolvedBackend echo() {
    var backend = new AIBackend(ObjectMeta.named("llm"), SourceRef.EMBEDDED, ApiSchema.OpenAI,
        new BackendEndpoint.Builtin(BackendEndpoint.Builtin.Kind.Echo), null, null, false, null);
    return new ResolvedBackend(backend, null, null);
  }

  static BackendTarget target(ResolvedBackend backend, String basePath, String credential, String rawQuery) {
    return new BackendTarget(backend, basePath, "llm.example.com", credential, rawQuery);
  }

  static ProcessedRequest request(ApiEndpoint endpoint, String path, String body, String... headers) {
    var context = new ExchangeContext("req-1", endpoint, null);
    return new ProcessedRequest(context, "POST", path, HeaderList.of(headers),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), null);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** An event sink that keeps what it is given. */
  static final class Collected implements EventSink {
    final List<String> emitted = new ArrayList<>();
    final List<com.fasterxml.jackson.databind.node.ObjectNode> pivots = new ArrayList<>();

    @Override
    public void emit(byte[] bytes, com.fasterxml.jackson.databind.node.ObjectNode pivot) {
      emitted.add(text(bytes));
      pivots.add(pivot);
    }

    String joined() {
      return String.join("", emitted);
    }
  }
}
