package dev.aigis.model.processing;

import dev.aigis.model.load.Fields;
import java.util.List;

/**
 * One processor type as the model knows it: the {@code type} value that selects it, the block that
 * holds its settings, how that block is read from YAML and which rules it must satisfy. Registered in
 * {@link ProcessorTypes}; the PayloadProcessor reader and validator dispatch through that registry
 * and know no type by name. Turning a config into a running processor is the data plane's part
 * (aigis-core's {@code ProcessorFactory}).
 *
 * <p>Implementations are stateless and shared.
 *
 * @param <C> the config record, one of {@link ProcessorConfig}'s permitted records
 */
public interface ProcessorType<C extends ProcessorConfig> {

  /** The {@code type} value that selects this processor, such as {@code ExtProcess}. */
  String name();

  /** The key of the block holding its settings in a processor entry, such as {@code extProcess}. */
  String block();

  /** The record {@link #read} produces. */
  Class<C> configClass();

  /** The keys the block may hold; any other key is reported as an unknown field. */
  List<String> fields();

  /**
   * The phases an entry of this type may run in; a PayloadProcessor in another phase (or one that
   * only a route's ExtensionRef filter runs, after routing) is refused when it loads.
   */
  default List<ProcessorPhase> phases() {
    return List.of(ProcessorPhase.values());
  }

  /**
   * Reads the block: structure, types and enum names only, reported through {@code block}, which
   * locates each error by file, line, resource and field path. May return null (or a record with
   * null fields) after reporting, since a document with errors is discarded.
   */
  C read(Fields block);

  /**
   * The rules a config must satisfy whatever its source: ranges, names, syntax, unsupported
   * combinations. Reports on paths relative to the processor entry, so each starts with
   * {@link #block()}, as in {@code extProcess.port}.
   */
  void validate(C config, Errors errors);

  /** Where {@link #validate} reports; the caller places each path in its resource. */
  @FunctionalInterface
  interface Errors {

    /** @param field relative to the processor entry, such as {@code extProcess.port} */
    void at(String field, String message);
  }
}
