package dev.aigis.model.load;

import dev.aigis.model.KnowledgeBase;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Reads the spec of an aigis.dev/v1alpha1 KnowledgeBase: its sources and chunking, or its external
 * retriever. Whether files exist and ConfigMaps resolve is checked later (snapshot and data plane).
 */
final class KnowledgeBaseReader {

  static final int MIN_CHUNK = 100;
  static final int MAX_CHUNK = 8000;

  private KnowledgeBaseReader() {}

  static KnowledgeBase read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "sources", "chunking", "retriever");
    if (spec == null) {
      return null;
    }
    List<KnowledgeBase.Source> sources = spec.objects("sources", false, List.of("path", "include", "configMapRef"),
        KnowledgeBaseReader::source);
    Fields retrieverFields = spec.object("retriever", "url", "timeout", "headers", "secretRef");
    boolean hasSources = spec.has("sources");
    if (hasSources == (retrieverFields != null)) {
      spec.issues().add(spec.path(), "set exactly one of sources or retriever");
    } else if (hasSources && spec.emptyList("sources")) {
      spec.error("sources", "at least one source is required");
    }
    KnowledgeBase.Chunking chunking = chunking(spec.object("chunking", "maxChars", "overlapChars"));
    if (retrieverFields != null && spec.has("chunking")) {
      spec.error("chunking", "has no effect with a retriever (the retriever returns chunks)");
    }
    KnowledgeBase.Retriever retriever = retrieverFields == null ? null : retriever(retrieverFields);
    return new KnowledgeBase(metadata, source, sources, chunking, retriever);
  }

  private static KnowledgeBase.Source source(Fields entry) {
    if (entry.has("path") == entry.has("configMapRef")) {
      entry.issues().add(entry.path(), "set exactly one of path or configMapRef");
      return null;
    }
    if (entry.has("path")) {
      String path = entry.string("path");
      if (path != null && path.isBlank()) {
        entry.error("path", "must not be blank");
      }
      List<String> include = entry.strings("include");
      return path == null ? null : new KnowledgeBase.Source(path, include, null);
    }
    if (entry.has("include")) {
      entry.error("include", "only applies to a path source");
    }
    Fields ref = entry.object("configMapRef", "name", "keys");
    if (ref == null) {
      return null;
    }
    String name = ref.requiredString("name");
    List<String> keys = ref.strings("keys");
    return name == null ? null : new KnowledgeBase.Source(null, List.of(), new KnowledgeBase.ConfigMapSource(name, keys));
  }

  private static KnowledgeBase.Chunking chunking(Fields fields) {
    if (fields == null) {
      return KnowledgeBase.Chunking.DEFAULT;
    }
    Integer max = fields.integer("maxChars");
    Integer overlap = fields.integer("overlapChars");
    int maxChars = max == null ? KnowledgeBase.Chunking.DEFAULT.maxChars() : max;
    int overlapChars = overlap == null ? Math.min(KnowledgeBase.Chunking.DEFAULT.overlapChars(), maxChars / 4) : overlap;
    if (maxChars < MIN_CHUNK || maxChars > MAX_CHUNK) {
      fields.error("maxChars", "must be " + MIN_CHUNK + ".." + MAX_CHUNK + " characters, got " + maxChars);
    } else if (overlapChars < 0 || overlapChars > maxChars / 2) {
      fields.error("overlapChars", "must be 0.." + maxChars / 2 + " (half of maxChars), got " + overlapChars);
    }
    return new KnowledgeBase.Chunking(maxChars, overlapChars);
  }

  private static KnowledgeBase.Retriever retriever(Fields fields) {
    String text = fields.requiredString("url");
    URI url = text == null ? null : fields.uri("url", text);
    if (url != null) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        fields.error("url", "must be an absolute http or https URL");
      }
    }
    java.time.Duration timeout = fields.duration("timeout");
    if (timeout != null && (timeout.isZero() || timeout.isNegative() || timeout.toSeconds() > 60)) {
      fields.error("timeout", "must be more than 0 and at most 60s");
    }
    java.util.Map<String, String> headers = fields.stringMap("headers");
    if (headers != null) {
      headers.keySet().stream().filter(h -> h.equalsIgnoreCase("authorization"))
          .forEach(h -> fields.error("headers", h + ": put credentials in a Secret and name it with secretRef"));
    }
    Fields ref = fields.object("secretRef", "name", "key");
    KnowledgeBase.SecretKeyRef secret = null;
    if (ref != null) {
      String name = ref.requiredString("name");
      String key = ref.requiredString("key");
      secret = name == null || key == null ? null : new KnowledgeBase.SecretKeyRef(name, key);
    }
    return new KnowledgeBase.Retriever(url, timeout, headers, secret);
  }
}
