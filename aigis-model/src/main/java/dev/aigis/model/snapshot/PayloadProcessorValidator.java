package dev.aigis.model.snapshot;

import dev.aigis.model.Durations;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.Names;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.Resource;
import dev.aigis.model.processing.ProcessorFieldPaths;
import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.processing.ProcessorType;
import dev.aigis.model.processing.ProcessorTypes;
import dev.aigis.model.processing.TargetRef;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks one PayloadProcessor: its target resolves, and each processor is well formed: the common
 * fields (name, timeout) here, the type's own settings by its {@link ProcessorType#validate} through
 * {@link ProcessorTypes}. CEL expressions are compiled elsewhere (aigis-core), reporting on
 * {@link ProcessorFieldPaths}.
 */
final class PayloadProcessorValidator {

  static final int MAX_PROCESSORS = dev.aigis.model.PayloadProcessor.MAX_PROCESSORS;

  private final ResourceIndex index;
  private final Problems problems;

  PayloadProcessorValidator(ResourceIndex index, Problems problems) {
    this.index = index;
    this.problems = problems;
  }

  void validate(PayloadProcessor resource) {
    targetRef(resource);
    List<ProcessorSpec> processors = resource.processors();
    if (processors.isEmpty()) {
      problems.at(resource, "spec.processors", "at least one processor is required");
    } else if (processors.size() > MAX_PROCESSORS) {
      problems.at(resource, "spec.processors",
          "at most " + MAX_PROCESSORS + " processors are allowed (got " + processors.size() + ")");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < processors.size(); i++) {
      processor(resource, processors.get(i), i, names);
    }
  }

  private void targetRef(PayloadProcessor resource) {
    TargetRef target = resource.targetRef();
    if (target == null) {
      return; // only reachable through ExtensionRef filters
    }
    String group = Objects.requireNonNullElse(target.group(), ProcessorConflicts.GATEWAY_GROUP);
    if (!group.equals(ProcessorConflicts.GATEWAY_GROUP)) {
      problems.at(resource, "spec.targetRef.group",
          "must be " + ProcessorConflicts.GATEWAY_GROUP + " (got \"" + group + "\")");
      return;
    }
    if (!Gateway.KIND.equals(target.kind()) && !HttpRoute.KIND.equals(target.kind())) {
      problems.at(resource, "spec.targetRef.kind", target.kind() == null ? "required field is missing"
          : "must be Gateway or HTTPRoute (got \"" + target.kind() + "\")");
      return;
    }
    if (resource.phase() == null) {
      problems.at(resource, "spec.phase", "required when targetRef is set");
    } else if (HttpRoute.KIND.equals(target.kind()) && resource.phase() == ProcessorPhase.PreRouting) {
      problems.at(resource, "spec.phase", "PreRouting runs before a route is known; target a Gateway");
    }
    String namespace = resource.metadata().namespace();
    Resource found = Gateway.KIND.equals(target.kind())
        ? index.gateway(namespace, target.name())
        : index.route(namespace, target.name());
    if (found == null) {
      problems.notFound(resource, "spec.targetRef.name", target.kind(), namespace, target.name());
    }
  }

  private void processor(PayloadProcessor resource, ProcessorSpec processor, int i, Set<String> names) {
    String path = ProcessorFieldPaths.processor(i);
    if (!Names.isDnsLabel(processor.name())) {
      problems.at(resource, path + ".name", "invalid processor name \"" + processor.name()
          + "\": must be lowercase letters, digits and '-', starting and ending with a letter or digit");
    } else if (!names.add(processor.name())) {
      problems.at(resource, path + ".name", "duplicate processor name \"" + processor.name() + "\"");
    }
    Duration timeout = processor.timeout();
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      problems.at(resource, path + ".timeout", "must be positive (got " + Durations.format(timeout) + ")");
    }
    ProcessorType<?> type = ProcessorTypes.BUILT_IN.of(processor.config());
    if (type.phases().size() < ProcessorPhase.values().length
        && (resource.phase() == null ? resource.targetRef() == null : !type.phases().contains(resource.phase()))) {
      problems.at(resource, path + ".type", type.name() + " runs only in phase "
          + String.join(" or ", type.phases().stream().map(Enum::name).toList())
          + (resource.phase() == null ? " (a route's ExtensionRef filter runs after routing)"
              : " (this PayloadProcessor's phase is " + resource.phase() + ")"));
    }
    ProcessorTypes.BUILT_IN.validate(processor.config(),
        (field, message) -> problems.at(resource, path + "." + field, message));
    if (processor.config() instanceof dev.aigis.model.processing.RetrievalSpec retrieval
        && retrieval.knowledgeBase() != null
        && index.knowledgeBase(resource.metadata().namespace(), retrieval.knowledgeBase()) == null) {
      problems.notFound(resource, path + ".retrieval.knowledgeBase", dev.aigis.model.KnowledgeBase.KIND,
          resource.metadata().namespace(), retrieval.knowledgeBase());
    }
  }
}
