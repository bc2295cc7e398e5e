package dev.aigis.server.processing;

import dev.aigis.core.guard.processor.GuardRuntime;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.processing.ProcessorFieldPaths;
import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the snapshot's PayloadProcessors into chains, once per configuration: each entry is compiled
 * by the factory {@link ProcessorFactories} registers for its config record (CEL expressions are
 * compiled there; ext_proc processors share one gRPC channel per endpoint), and compile errors are
 * reported like any other configuration error (file, line, resource, field path).
 */
public final class ProcessingCompiler {

  private static final String GATEWAY = "Gateway";

  private final ProcessorFactories factories;
  private final dev.aigis.server.policy.PolicyCompiler policies;

  /**
   * Compiles policies without ever connecting to their stores (validation, tests without policies).
   *
   * @param channels the ext_proc channels ExtProcess processors share, owned by the caller
   */
  public ProcessingCompiler(ExtProcChannels channels) {
    this(channels, dev.aigis.server.policy.PolicyRuntime.forValidation(), GuardRuntime.forValidation());
  }

  /**
   * @param policyRuntime the stores and caches AccessPolicies and RateLimitPolicies share, owned by the caller
   * @param guards the models, baselines and rule files Guardrail processors share, owned by the caller
   */
  public ProcessingCompiler(ExtProcChannels channels, dev.aigis.server.policy.PolicyRuntime policyRuntime,
      GuardRuntime guards) {
    this(channels, policyRuntime, guards,
        dev.aigis.core.routing.semantic.SemanticRouteRuntime.forValidation(guards::embeddings));
  }

  /** @param routes what SemanticRoute processors share (the embedding service, recent routers), owned by the caller */
  public ProcessingCompiler(ExtProcChannels channels, dev.aigis.server.policy.PolicyRuntime policyRuntime,
      GuardRuntime guards, dev.aigis.core.routing.semantic.SemanticRouteRuntime routes) {
    this(ProcessorFactories.builtIn(channels, guards, routes), policyRuntime);
  }

  ProcessingCompiler(ProcessorFactories factories) {
    this(factories, dev.aigis.server.policy.PolicyRuntime.forValidation());
  }

  private ProcessingCompiler(ProcessorFactories factories, dev.aigis.server.policy.PolicyRuntime policyRuntime) {
    this.factories = factories;
    this.policies = new dev.aigis.server.policy.PolicyCompiler(policyRuntime);
  }

  /** @throws ConfigException listing every entry that does not compile (such as a CEL expression) */
  public CompiledProcessing compile(ConfigSnapshot snapshot) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    var compiledPolicies = policies.compile(snapshot, errors);
    if (snapshot.payloadProcessors().isEmpty()) {
      if (!errors.isEmpty()) {
        throw new ConfigException(errors);
      }
      return compiledPolicies.isEmpty() ? CompiledProcessing.NONE
          : new CompiledProcessing(Map.of(), Map.of(), Map.of(), Map.of(), compiledPolicies);
    }
    Map<String, ProcessingChain> byName = new HashMap<>();
    Map<String, ProcessingChain> pre = new HashMap<>();
    Map<String, ProcessingChain> postGateway = new HashMap<>();
    Map<String, ProcessingChain> postRoute = new HashMap<>();
    for (PayloadProcessor resource : snapshot.payloadProcessors()) {
      String key = resource.metadata().qualifiedName();
      ProcessingChain chain = chain(resource, errors);
      if (chain == null) {
        continue; // its errors are collected; the whole configuration is refused below
      }
      byName.put(key, chain);
      if (resource.targetRef() == null || resource.phase() == null) {
        continue; // only reachable through ExtensionRef filters
      }
      String target = resource.metadata().namespace() + "/" + resource.targetRef().name();
      boolean gateway = GATEWAY.equals(resource.targetRef().kind());
      if (resource.phase() == ProcessorPhase.PreRouting) {
        pre.put(target, chain);
      } else if (gateway) {
        postGateway.put(target, chain);
      } else {
        postRoute.put(target, chain);
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new CompiledProcessing(byName, pre, postGateway, postRoute, compiledPolicies);
  }

  /** The resource's chain, or null (with its errors added) when an entry does not compile. */
  private ProcessingChain chain(PayloadProcessor resource, List<ConfigError> errors) {
    int errorsBefore = errors.size();
    List<ConfiguredProcessor> processors = new ArrayList<>();
    for (int i = 0; i < resource.processors().size(); i++) {
      ProcessorSpec spec = resource.processors().get(i);
      int entryErrors = errors.size();
      Processor processor = factories.compile(spec.config(), new Entry(resource, i, spec.name(), errors));
      if (processor == null) {
        if (errors.size() == entryErrors) { // a factory broke its contract; still refuse, never drop the entry
          errors.add(ConfigError.at(resource, ProcessorFieldPaths.processor(i), "could not be compiled"));
        }
        continue;
      }
      FailureMode mode = spec.failureMode() == ProcessorSpec.FailureModeSpec.FailOpen ? FailureMode.FailOpen : FailureMode.FailClosed;
      processors.add(new ConfiguredProcessor(spec.name(), mode, spec.timeout(), processor));
    }
    return errors.size() > errorsBefore ? null : new ProcessingChain(resource.metadata().qualifiedName(), processors);
  }

  /** Entry {@code index} of {@code resource}; its errors are located like every configuration error. */
  private record Entry(PayloadProcessor resource, int index, String name, List<ConfigError> errors)
      implements ProcessorFactory.Entry {
    @Override
    public String chain() {
      return resource.metadata().qualifiedName();
    }

    @Override
    public java.nio.file.Path directory() {
      // Cluster resources and embedded defaults name a source that is not a file.
      String file = resource.source().file();
      try {
        java.nio.file.Path path = java.nio.file.Path.of(file);
        return java.nio.file.Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public void error(String field, String message) {
      errors.add(ConfigError.at(resource, ProcessorFieldPaths.processor(index) + "." + field, message));
    }
  }
}
