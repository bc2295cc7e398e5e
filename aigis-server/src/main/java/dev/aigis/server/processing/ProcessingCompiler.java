package dev.aigis.server.processing;

import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.cel.CelProcessorFactory;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.InProcessSpec;
import dev.aigis.model.processing.ProcessorFieldPaths;
import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the snapshot's PayloadProcessors into chains: CEL expressions are compiled here, once per
 * configuration, and their errors reported like any other configuration error (file, line,
 * resource, field path). ext_proc processors share one gRPC channel per endpoint.
 */
public final class ProcessingCompiler {

  private static final String GATEWAY = "Gateway";

  private final CelProcessorFactory cel = new CelProcessorFactory();
  private final ExtProcChannels channels;

  public ProcessingCompiler(ExtProcChannels channels) {
    this.channels = channels;
  }

  /** @throws ConfigException listing every expression that does not compile */
  public CompiledProcessing compile(ConfigSnapshot snapshot) throws ConfigException {
    if (snapshot.payloadProcessors().isEmpty()) {
      return CompiledProcessing.NONE;
    }
    List<ConfigError> errors = new ArrayList<>();
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
    return new CompiledProcessing(byName, pre, postGateway, postRoute);
  }

  /** The resource's chain, or null (with its errors added) when an expression does not compile. */
  private ProcessingChain chain(PayloadProcessor resource, List<ConfigError> errors) {
    int errorsBefore = errors.size();
    List<ConfiguredProcessor> processors = new ArrayList<>();
    for (int i = 0; i < resource.processors().size(); i++) {
      ProcessorSpec spec = resource.processors().get(i);
      Processor processor = switch (spec.config()) {
        case InProcessSpec inProcess -> {
          CelProcessorFactory.Compilation compilation = cel.compile(inProcess);
          for (CelProcessorFactory.CompileError error : compilation.errors()) {
            errors.add(ConfigError.at(resource, ProcessorFieldPaths.processor(i) + "." + error.fieldPath(), error.message()));
          }
          yield compilation.ok() ? compilation.processor() : null;
        }
        case ExtProcessSpec extProcess -> channels.processor(spec.name(), extProcess);
      };
      FailureMode mode = spec.failureMode() == ProcessorSpec.FailureModeSpec.FailOpen ? FailureMode.FailOpen : FailureMode.FailClosed;
      processors.add(new ConfiguredProcessor(spec.name(), mode, spec.timeout(), processor));
    }
    return errors.size() > errorsBefore ? null : new ProcessingChain(resource.metadata().qualifiedName(), processors);
  }
}
