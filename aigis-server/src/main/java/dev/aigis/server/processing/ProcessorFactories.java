package dev.aigis.server.processing;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.core.processing.cel.CelProcessorFactory;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.extproc.ExtProcProcessorFactory;
import dev.aigis.core.guard.processor.GuardrailFactory;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.GuardrailSpec;
import dev.aigis.model.processing.InProcessSpec;
import dev.aigis.model.processing.ProcessorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ProcessorFactory} per {@link ProcessorConfig} record. {@link #builtIn} is the one place
 * a processor type is registered on the compile side (the model's counterpart is
 * {@code ProcessorTypes.BUILT_IN}); {@link ProcessingCompiler} dispatches through it and knows no
 * type. Immutable and thread-safe.
 */
final class ProcessorFactories {

  /** A factory with the record it compiles, so that dispatch needs no unchecked cast. */
  private record Registration<C extends ProcessorConfig>(Class<C> config, ProcessorFactory<C> factory) {
    Processor compile(ProcessorConfig spec, ProcessorFactory.Entry entry) {
      return factory.compile(config.cast(spec), entry);
    }
  }

  private final Map<Class<?>, Registration<?>> byConfig;

  private ProcessorFactories(Map<Class<?>, Registration<?>> byConfig) {
    this.byConfig = Map.copyOf(byConfig);
  }

  /**
   * Every built-in processor type.
   *
   * @param channels the ext_proc channels ExtProcess processors share, owned by the caller
   * @param runtimes what Guardrail, SemanticRoute, ResponseCache and Retrieval processors share, owned by the caller
   */
  static ProcessorFactories builtIn(ExtProcChannels channels, ProcessorRuntimes runtimes) {
    return new Builder()
        .add(InProcessSpec.class, new CelProcessorFactory())
        .add(ExtProcessSpec.class, new ExtProcProcessorFactory(channels))
        .add(GuardrailSpec.class, new GuardrailFactory(runtimes.guards()))
        .add(dev.aigis.model.processing.SemanticRouteSpec.class,
            new dev.aigis.core.routing.semantic.SemanticRouteFactory(runtimes.routes()))
        .add(dev.aigis.model.processing.ResponseCacheSpec.class, new dev.aigis.core.cache.ResponseCacheFactory(runtimes.caches()))
        .add(dev.aigis.model.processing.RetrievalSpec.class, new dev.aigis.core.rag.RetrievalFactory(runtimes.knowledge()))
        .build();
  }

  /** {@link ProcessorFactory#compile} of the config's own factory. */
  Processor compile(ProcessorConfig config, ProcessorFactory.Entry entry) {
    return byConfig.get(config.getClass()).compile(config, entry);
  }

  static final class Builder {

    private final Map<Class<?>, Registration<?>> byConfig = new LinkedHashMap<>();

    /** @throws IllegalArgumentException when {@code config} already has a factory */
    <C extends ProcessorConfig> Builder add(Class<C> config, ProcessorFactory<C> factory) {
      if (byConfig.putIfAbsent(config, new Registration<>(config, factory)) != null) {
        throw new IllegalArgumentException(config.getSimpleName() + " has two processor factories");
      }
      return this;
    }

    /** @throws IllegalStateException when a permitted {@link ProcessorConfig} record has no factory */
    ProcessorFactories build() {
      List<String> missing = new ArrayList<>();
      for (Class<?> permitted : ProcessorConfig.class.getPermittedSubclasses()) {
        if (!byConfig.containsKey(permitted)) {
          missing.add(permitted.getSimpleName());
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("no processor factory compiles " + String.join(", ", missing));
      }
      return new ProcessorFactories(byConfig);
    }
  }
}
