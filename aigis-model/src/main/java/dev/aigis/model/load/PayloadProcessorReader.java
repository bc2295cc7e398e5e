package dev.aigis.model.load;

import dev.aigis.model.ObjectMeta;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.SourceRef;
import dev.aigis.model.processing.ProcessorConfig;
import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.processing.ProcessorType;
import dev.aigis.model.processing.ProcessorTypes;
import dev.aigis.model.processing.TargetRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the spec of an aigis.dev/v1alpha1 PayloadProcessor: structure, types and enum names only.
 * Each processor entry's {@code type} is looked up in {@link ProcessorTypes#BUILT_IN}, whose type
 * reads its own block; this class knows no type by name. The type/block pairing is checked here,
 * since a {@link ProcessorSpec} holds one config and cannot express a mismatch. Rules that hold for
 * resources from the cluster too (counts, names, the types' own rules, references, conflicts) are
 * the snapshot compiler's, so they are checked in one place.
 */
final class PayloadProcessorReader {

  private static final ProcessorTypes TYPES = ProcessorTypes.BUILT_IN;
  private static final List<String> ENTRY = entryFields();

  private PayloadProcessorReader() {}

  static PayloadProcessor read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "targetRef", "phase", "processors");
    if (spec == null) {
      return null;
    }
    Fields target = spec.object("targetRef", "group", "kind", "name");
    TargetRef targetRef = target == null ? null
        : new TargetRef(target.string("group"), target.requiredString("kind"), target.requiredString("name"));
    ProcessorPhase phase = spec.choice("phase", false, ProcessorPhase.values());
    List<ProcessorSpec> processors = spec.objects("processors", true, ENTRY, PayloadProcessorReader::processor);
    return new PayloadProcessor(metadata, source, targetRef, phase, processors);
  }

  /** Null when the entry has no usable type or block (after reporting why). */
  private static ProcessorSpec processor(Fields entry) {
    String name = entry.requiredString("name");
    String typeName = entry.choice("type", true, TYPES.names());
    ProcessorType<?> type = typeName == null ? null : TYPES.byName(typeName);
    ProcessorSpec.FailureModeSpec failureMode = entry.choice("failureMode", false, ProcessorSpec.FailureModeSpec.values());
    Duration timeout = entry.duration("timeout");
    ProcessorConfig config = config(entry, type);
    return config == null ? null : new ProcessorSpec(name, failureMode, timeout, config);
  }

  /**
   * The block of {@code type}; another type's block is an error. Without a usable type every block
   * present is still read, so its errors are reported in the same run.
   */
  private static ProcessorConfig config(Fields entry, ProcessorType<?> type) {
    for (ProcessorType<?> other : TYPES.all()) {
      if (other == type || !entry.has(other.block())) {
        continue;
      }
      if (type == null) {
        block(entry, other);
      } else {
        entry.error(other.block(), "must not be set when type is " + type.name());
      }
    }
    if (type == null) {
      return null;
    }
    if (!entry.has(type.block())) {
      entry.error(type.block(), "required when type is " + type.name());
      return null;
    }
    return block(entry, type);
  }

  private static ProcessorConfig block(Fields entry, ProcessorType<?> type) {
    Fields block = entry.object(type.block(), type.fields().toArray(String[]::new));
    return block == null ? null : type.read(block);
  }

  private static List<String> entryFields() {
    List<String> fields = new ArrayList<>(ProcessorTypes.COMMON_FIELDS);
    TYPES.all().forEach(type -> fields.add(type.block()));
    return List.copyOf(fields);
  }
}
