package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigMap;
import dev.aigis.model.KnowledgeBase;
import dev.aigis.model.Secret;

/**
 * The references of a KnowledgeBase: its ConfigMaps and keys, its retriever's Secret, all in its own
 * namespace. Files are read (and their absence reported) by the data plane when it builds the index;
 * in a cluster there are no files to read, so a path source is refused there.
 */
final class KnowledgeBaseValidator {

  private KnowledgeBaseValidator() {}

  static void validate(KnowledgeBase base, ResourceIndex index, Problems problems) {
    String namespace = base.metadata().namespace();
    boolean cluster = base.source().file().startsWith("<");
    for (int i = 0; i < base.sources().size(); i++) {
      KnowledgeBase.Source source = base.sources().get(i);
      String path = "spec.sources[" + i + "]";
      if (source.path() != null && cluster) {
        problems.at(base, path + ".path", "a file source has no meaning here (no configuration file);"
            + " put the documents in a ConfigMap and use configMapRef");
      }
      if (source.configMap() == null) {
        continue;
      }
      ConfigMap map = index.configMap(namespace, source.configMap().name());
      if (map == null) {
        problems.notFound(base, path + ".configMapRef.name", ConfigMap.KIND, namespace, source.configMap().name());
        continue;
      }
      for (int k = 0; k < source.configMap().keys().size(); k++) {
        String key = source.configMap().keys().get(k);
        if (!map.data().containsKey(key)) {
          problems.at(base, path + ".configMapRef.keys[" + k + "]", "ConfigMap " + namespace + "/"
              + map.metadata().name() + " has no key \"" + key + "\"");
        }
      }
    }
    KnowledgeBase.Retriever retriever = base.retriever();
    if (retriever != null && retriever.secretRef() != null) {
      Secret secret = index.secret(namespace, retriever.secretRef().name());
      if (secret == null) {
        problems.notFound(base, "spec.retriever.secretRef.name", Secret.KIND, namespace, retriever.secretRef().name());
      } else if (!secret.data().containsKey(retriever.secretRef().key())) {
        problems.at(base, "spec.retriever.secretRef.key", "Secret " + namespace + "/" + secret.metadata().name()
            + " has no key \"" + retriever.secretRef().key() + "\"");
      }
    }
  }
}
