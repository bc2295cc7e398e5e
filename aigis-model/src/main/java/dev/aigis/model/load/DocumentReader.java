package dev.aigis.model.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.model.AIBackend;
import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigMap;
import dev.aigis.model.EgressPolicy;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.KnowledgeBase;
import dev.aigis.model.Names;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.PriceCatalog;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.Resource;
import dev.aigis.model.Secret;
import dev.aigis.model.SourceRef;
import dev.aigis.model.XBackend;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Turns one YAML document into a {@link Resource}: checks apiVersion and kind, reads metadata, then
 * hands spec to the reader for the kind. A document with any error yields no resource.
 */
final class DocumentReader {

  private static final String GATEWAY_API = "gateway.networking.k8s.io/v1";

  /** Kind → the apiVersion it must carry. */
  static final Map<String, String> API_VERSIONS = Map.ofEntries(
      Map.entry(Gateway.KIND, Gateway.API_VERSION),
      Map.entry(HttpRoute.KIND, GATEWAY_API),
      Map.entry(AIBackend.KIND, AIBackend.API_VERSION),
      Map.entry(PayloadProcessor.KIND, PayloadProcessor.API_VERSION),
      Map.entry(AccessPolicy.KIND, AccessPolicy.API_VERSION),
      Map.entry(RateLimitPolicy.KIND, RateLimitPolicy.API_VERSION),
      Map.entry(PriceCatalog.KIND, PriceCatalog.API_VERSION),
      Map.entry(Secret.KIND, "v1"),
      Map.entry(XBackend.KIND, XBackend.API_VERSION),
      Map.entry(ConfigMap.KIND, "v1"),
      Map.entry(EgressPolicy.KIND, EgressPolicy.API_VERSION),
      Map.entry(KnowledgeBase.KIND, KnowledgeBase.API_VERSION));

  /** Reads a kind's spec from the whole document ({@code doc}), which it takes {@code spec} from. */
  interface SpecReader {
    Resource read(Fields doc, ObjectMeta metadata, SourceRef source);
  }

  /** Kind → its reader (a Secret is read by {@link SecretReader}); {@link SpecSchema} probes the same readers. */
  static final Map<String, SpecReader> READERS = Map.ofEntries(
      Map.entry(Gateway.KIND, GatewayReader::read),
      Map.entry(HttpRoute.KIND, HttpRouteReader::read),
      Map.entry(AIBackend.KIND, AIBackendReader::read),
      Map.entry(PayloadProcessor.KIND, PayloadProcessorReader::read),
      Map.entry(AccessPolicy.KIND, AccessPolicyReader::read),
      Map.entry(RateLimitPolicy.KIND, RateLimitPolicyReader::read),
      Map.entry(PriceCatalog.KIND, PriceCatalogReader::read),
      Map.entry(XBackend.KIND, XBackendReader::read),
      Map.entry(ConfigMap.KIND, ConfigMapReader::read),
      Map.entry(EgressPolicy.KIND, EgressPolicyReader::read),
      Map.entry(KnowledgeBase.KIND, KnowledgeBaseReader::read));

  private DocumentReader() {}

  /** Adds the document's errors to {@code errors}; returns null when there were any. */
  static Resource read(String file, YamlDocuments.Document document, List<ConfigError> errors) {
    SourceRef source = new SourceRef(file, document.line(), document.lines());
    Issues issues = new Issues(source);
    Resource resource = read(document.root(), source, issues);
    document.duplicateKeys().forEach((path, line) -> issues.add(path, line, "field is set more than once"));
    errors.addAll(issues.errors());
    return issues.isEmpty() ? resource : null;
  }

  /**
   * {@code Kind/namespace/name} as the document states them, read without validating anything
   * else (for a document left out for its errors), or null when it does not state a kind and a name.
   */
  static String identity(YamlDocuments.Document document) {
    JsonNode root = document.root();
    if (root == null || !root.isObject() || !root.path("kind").isTextual()
        || !root.path("metadata").path("name").isTextual()) {
      return null;
    }
    JsonNode namespace = root.path("metadata").path("namespace");
    return root.get("kind").textValue() + "/" + (namespace.isTextual() && !namespace.textValue().isBlank()
        ? namespace.textValue() : ObjectMeta.DEFAULT_NAMESPACE)
        + "/" + root.path("metadata").get("name").textValue();
  }

  private static Resource read(JsonNode root, SourceRef source, Issues issues) {
    if (!root.isObject()) {
      issues.add(null, "a document must be a mapping with apiVersion, kind, metadata and spec, got "
          + Fields.describe(root));
      return null;
    }
    String kind = root.path("kind").isTextual() ? root.get("kind").textValue() : null;
    String[] topLevel = Secret.KIND.equals(kind)
        ? new String[] {"apiVersion", "kind", "metadata", "type", "data", "stringData", "immutable"}
        : ConfigMap.KIND.equals(kind) ? new String[] {"apiVersion", "kind", "metadata", "data", "binaryData", "immutable"}
        : new String[] {"apiVersion", "kind", "metadata", "spec"};
    Fields doc = Fields.of(root, "", issues, topLevel);
    ObjectMeta metadata = metadata(doc, kind);
    String apiVersion = doc.requiredString("apiVersion");
    kind = doc.requiredString("kind");
    if (kind == null) {
      return null;
    }
    String expected = API_VERSIONS.get(kind);
    if (expected == null) {
      doc.error("kind", "unknown kind " + kind + " (expected Gateway, HTTPRoute, AIBackend, PayloadProcessor,"
          + " AccessPolicy, RateLimitPolicy, PriceCatalog, Secret, XBackend, ConfigMap, EgressPolicy or KnowledgeBase)");
      return null;
    }
    if (apiVersion != null && !apiVersion.equals(expected)) {
      doc.error("apiVersion", kind + " must have apiVersion " + expected + ", not " + apiVersion);
      return null;
    }
    if (metadata == null || apiVersion == null) {
      return null;
    }
    return READERS.getOrDefault(kind, SecretReader::read).read(doc, metadata, source);
  }

  private static ObjectMeta metadata(Fields doc, String kind) {
    Fields meta = doc.requiredObject("metadata", "name", "namespace", "labels", "annotations", "creationTimestamp");
    if (meta == null) {
      return null;
    }
    String name = meta.requiredString("name");
    if (name != null && kind != null) {
      doc.issues().resource(kind + "/" + name);
    }
    if (name != null && !name.isEmpty() && !Names.isDnsSubdomain(name)) {
      meta.error("name", "invalid name \"" + name + "\": must be lowercase letters, digits, '-' and '.',"
          + " starting and ending with a letter or digit");
    }
    String namespace = meta.string("namespace");
    if (namespace != null && !Names.isDnsLabel(namespace)) {
      meta.error("namespace", "invalid namespace \"" + namespace + "\": must be lowercase letters, digits and '-',"
          + " starting and ending with a letter or digit");
    }
    Map<String, String> labels = meta.stringMap("labels");
    Map<String, String> annotations = meta.stringMap("annotations");
    Instant created = null;
    String timestamp = meta.string("creationTimestamp");
    if (timestamp != null) {
      try {
        created = OffsetDateTime.parse(timestamp).toInstant();
      } catch (DateTimeParseException e) {
        meta.error("creationTimestamp", "invalid timestamp \"" + timestamp + "\": expected RFC 3339 such as 2025-01-31T12:00:00Z");
      }
    }
    return name == null ? null : new ObjectMeta(name, namespace, labels, annotations, created);
  }
}
