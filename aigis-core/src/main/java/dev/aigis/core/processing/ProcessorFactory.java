package dev.aigis.core.processing;

import dev.aigis.model.processing.ProcessorConfig;

/**
 * Compiles one processor type's config into a {@link Processor} when configuration loads (CEL
 * expressions are compiled, ext_proc channels looked up), never per request. Each factory is
 * registered with the config record it compiles in the data plane's one factory registry
 * ({@code dev.aigis.server.processing.ProcessorFactories}); the model reads and validates the config
 * first ({@link dev.aigis.model.processing.ProcessorTypes}), so a factory reports only what needs
 * compiling to find. Implementations are thread-safe.
 *
 * @param <C> the config record, one of {@link ProcessorConfig}'s permitted records
 */
@FunctionalInterface
public interface ProcessorFactory<C extends ProcessorConfig> {

  /**
   * The processor for {@code config}, or null after reporting at least one error through
   * {@code entry}. Any reported error refuses the configuration, at start and on reload.
   */
  Processor compile(C config, Entry entry);

  /** The processor entry being compiled: its name, and where its errors go. */
  interface Entry {

    /** The entry's {@code name}, unique within its PayloadProcessor. */
    String name();

    /** {@code namespace/name} of the PayloadProcessor that holds the entry. */
    default String chain() {
      return "";
    }

    /**
     * The directory of the file the entry was read from, against which relative file references
     * in its settings resolve; null when it came from no file (embedded defaults, a cluster).
     */
    default java.nio.file.Path directory() {
      return null;
    }

    /**
     * The configuration being compiled, for processors that name other resources (a Retrieval
     * processor's KnowledgeBase); null when the entry is compiled on its own.
     */
    default dev.aigis.model.snapshot.ConfigSnapshot snapshot() {
      return null;
    }

    /**
     * The value of {@code key} in the Secret {@code name} of the entry's namespace, or null when
     * there is no such Secret or key (the caller reports it on its own field).
     */
    default byte[] secret(String name, String key) {
      return null;
    }

    /**
     * Reports a configuration error in another resource the entry uses (a KnowledgeBase whose
     * files cannot be read), at {@code field} of that resource ({@code spec.sources[0].path}).
     */
    default void error(dev.aigis.model.Resource resource, String field, String message) {
      error("", resource.displayName() + ": " + field + ": " + message);
    }

    /**
     * Reports a configuration error at {@code field}, relative to the entry (such as
     * {@code inProcess.request.setHeaders[0].value}); the user sees it with file, line, resource and
     * the whole field path, like any other configuration error.
     */
    void error(String field, String message);
  }
}
