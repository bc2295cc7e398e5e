package dev.aigis.core.rag;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.ConfigMap;
import dev.aigis.model.KnowledgeBase;
import dev.aigis.model.Secret;
import dev.aigis.model.processing.RetrievalSpec;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@code type: Retrieval} entry. The KnowledgeBase it names is looked up by name in the
 * configuration being compiled ({@link ProcessorFactory.Entry#snapshot()}), in the
 * PayloadProcessor's namespace, and turned into a retriever by the process's
 * {@link KnowledgeRuntime}: a local index (built now, or kept from the last configuration when its
 * documents did not change) or an external retriever. The lookup happens here rather than in a
 * separate KnowledgeBase pass because only a KnowledgeBase some processor uses is worth embedding,
 * and the snapshot is already the one place that resolves names. A base that cannot be built refuses
 * the configuration with the KnowledgeBase's own file, line and field.
 */
public final class RetrievalFactory implements ProcessorFactory<RetrievalSpec> {

  private final KnowledgeRuntime runtime;

  public RetrievalFactory(KnowledgeRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Processor compile(RetrievalSpec spec, Entry entry) {
    ConfigSnapshot snapshot = entry.snapshot();
    String namespace = entry.chain().contains("/") ? entry.chain().substring(0, entry.chain().indexOf('/'))
        : dev.aigis.model.ObjectMeta.DEFAULT_NAMESPACE;
    KnowledgeBase base = snapshot == null ? null
        : snapshot.resource(KnowledgeBase.class, namespace, spec.knowledgeBase()).orElse(null);
    if (base == null) {
      entry.error("retrieval.knowledgeBase", "KnowledgeBase " + namespace + "/" + spec.knowledgeBase() + " not found");
      return null;
    }
    Retriever retriever;
    try {
      retriever = base.retriever() != null ? remote(base, snapshot) : local(base, snapshot);
    } catch (KnowledgeBaseException e) {
      entry.error(base, e.detail(), e.getMessage());
      return null;
    } catch (RuntimeException e) { // the embedding model failing or saturated while indexing
      entry.error(base, "spec", "could not be indexed: " + e);
      return null;
    }
    return new RetrievalProcessor(retriever, spec.topK(), spec.minScore().doubleValue(), spec.maxContextChars(),
        spec.template(), runtime.observer());
  }

  private Retriever local(KnowledgeBase base, ConfigSnapshot snapshot) {
    String namespace = base.metadata().namespace();
    Path directory = directoryOf(base);
    List<DocumentSet.FileSource> files = new ArrayList<>();
    Map<String, String> configMaps = new LinkedHashMap<>();
    for (int i = 0; i < base.sources().size(); i++) {
      KnowledgeBase.Source source = base.sources().get(i);
      String field = "spec.sources[" + i + "]";
      if (source.path() != null) {
        Path path = Path.of(source.path());
        if (!path.isAbsolute() && directory == null) {
          throw new KnowledgeBaseException(field + ".path", "a relative path needs a configuration file to resolve against");
        }
        files.add(new DocumentSet.FileSource(path.isAbsolute() ? path : directory.resolve(path).normalize(),
            source.include(), field + ".path"));
        continue;
      }
      String mapName = source.configMap().name();
      ConfigMap map = snapshot.resource(ConfigMap.class, namespace, mapName)
          .orElseThrow(() -> new KnowledgeBaseException(field + ".configMapRef.name",
              "ConfigMap " + namespace + "/" + mapName + " not found"));
      List<String> keys = source.configMap().keys().isEmpty() ? map.data().keySet().stream().sorted().toList()
          : source.configMap().keys();
      for (String key : keys) {
        String text = map.data().get(key);
        if (text != null) {
          configMaps.put(mapName + "/" + key, text);
        }
      }
    }
    return runtime.local(base.metadata().qualifiedName(), new DocumentSet(files, configMaps), base.chunking());
  }

  private Retriever remote(KnowledgeBase base, ConfigSnapshot snapshot) {
    KnowledgeBase.Retriever spec = base.retriever();
    Map<String, String> headers = new LinkedHashMap<>(spec.headers());
    if (spec.secretRef() != null) {
      Secret secret = snapshot.resource(Secret.class, base.metadata().namespace(), spec.secretRef().name())
          .orElseThrow(() -> new KnowledgeBaseException("spec.retriever.secretRef.name",
              "Secret " + base.metadata().namespace() + "/" + spec.secretRef().name() + " not found"));
      byte[] token = secret.data().get(spec.secretRef().key());
      if (token == null) {
        throw new KnowledgeBaseException("spec.retriever.secretRef.key", "Secret has no key \"" + spec.secretRef().key() + "\"");
      }
      headers.put("authorization", "Bearer " + new String(token, StandardCharsets.UTF_8).strip());
    }
    return runtime.remote(base.metadata().qualifiedName(), spec, headers);
  }

  /** The directory of the file the KnowledgeBase was read from; null for a cluster or embedded resource. */
  private static Path directoryOf(KnowledgeBase base) {
    try {
      Path file = Path.of(base.source().file());
      return Files.isRegularFile(file) ? file.toAbsolutePath().getParent() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
