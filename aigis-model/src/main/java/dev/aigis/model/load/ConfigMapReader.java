package dev.aigis.model.load;

import dev.aigis.model.ConfigMap;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;

/** Reads a core/v1 ConfigMap: its {@code data} (text); {@code binaryData} is not used by anything Aigis reads. */
final class ConfigMapReader {

  private ConfigMapReader() {}

  static ConfigMap read(Fields doc, ObjectMeta metadata, SourceRef source) {
    doc.bool("immutable", false);
    return new ConfigMap(metadata, source, doc.stringMap("data"));
  }
}
