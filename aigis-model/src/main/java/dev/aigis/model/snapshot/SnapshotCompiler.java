package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.AccessPolicy;
import dev.aigis.model.PriceCatalog;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigMap;
import dev.aigis.model.EgressPolicy;
import dev.aigis.model.XBackend;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.Resource;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.Secret;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.RouteRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns loaded resources into a {@link ConfigSnapshot}, checking every cross-resource rule (references,
 * duplicates, listener conflicts, credentials, PayloadProcessor and policy targets, API keys) and
 * reporting all problems at once. A PayloadProcessor or policy that loses a target conflict is a
 * warning, carried by the snapshot. Stateless apart from the injected environment; safe to reuse and
 * to call from any thread.
 */
public final class SnapshotCompiler {

  private final Function<String, String> environment;

  /** @param environment looks up environment variables for {@code credentials.env}, such as {@code System::getenv} */
  public SnapshotCompiler(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  public CompileResult compile(List<Resource> resources) {
    return compile(resources, Set.of());
  }

  /**
   * Compiles what loaded when other documents did not: references to {@code unloaded} resources
   * ({@code Kind/namespace/name}) are not reported as missing, their own errors having been.
   */
  public CompileResult compile(List<Resource> resources, Set<String> unloaded) {
    Problems problems = new Problems(unloaded);
    ResourceIndex index = new ResourceIndex(resources, problems);

    ListenerBinder listenerBinder = new ListenerBinder(index, problems);
    BackendResolver backendResolver = new BackendResolver(index, environment, problems);
    ProcessorConflicts conflicts = new ProcessorConflicts(index.all());
    RouteValidator routeValidator = new RouteValidator(index, conflicts, problems);
    PayloadProcessorValidator processorValidator = new PayloadProcessorValidator(index, problems);
    PolicyValidator policyValidator = new PolicyValidator(index, problems);
    EgressValidator egressValidator = new EgressValidator(index, problems);
    List<BoundListener> listeners = new ArrayList<>();
    List<HttpRoute> routes = new ArrayList<>();
    Map<String, ResolvedBackend> backends = new LinkedHashMap<>();
    List<PayloadProcessor> processors = new ArrayList<>();
    for (Resource resource : index.all()) {
      switch (resource) {
        case Gateway gateway -> listeners.addAll(listenerBinder.bind(gateway));
        case AIBackend backend -> backends.put(backend.metadata().qualifiedName(), backendResolver.resolve(backend));
        case HttpRoute route -> {
          routeValidator.validate(route);
          routes.add(route);
        }
        case Secret secret -> policyValidator.secret(secret);
        case AccessPolicy policy -> policyValidator.access(policy);
        case RateLimitPolicy policy -> policyValidator.rateLimit(policy);
        case PriceCatalog catalog -> policyValidator.prices(catalog);
        case EgressPolicy policy -> egressValidator.policy(policy);
        case XBackend xbackend -> { } // checked when read; resolved through the AIBackends and routes that use it
        case ConfigMap map -> { } // read through the XBackends that name it
        case PayloadProcessor processor -> {
          processorValidator.validate(processor);
          if (!conflicts.leftOut(processor)) {
            processors.add(processor);
          }
        }
      }
    }
    routes.forEach(egressValidator::route);
    routes.forEach(route -> directXBackends(route, index, backendResolver, backends));
    boolean anyListener = resources.stream()
        .anyMatch(resource -> resource instanceof Gateway gateway && !gateway.listeners().isEmpty());
    // Said only of a configuration that loaded whole: with documents left out for their errors it
    // is as likely to be noise (the Gateway among them, or a fragment being fixed) as news.
    if (!anyListener && unloaded.isEmpty()) {
      problems.add(new ConfigError(fileSet(resources), 0, null, null, "no Gateway with at least one listener is defined"));
    }
    List<ConfigError> warnings = new ArrayList<>(conflicts.warnings());
    warnings.addAll(policyValidator.warnings());
    warnings.addAll(backendResolver.warnings());
    return problems.isEmpty()
        ? new CompileResult.Success(new ConfigSnapshot(
            listeners, routes, backends, processors, resources, warnings, policyValidator.policies()))
        : new CompileResult.Failure(problems.errors());
  }

  /**
   * Adds the passthrough backend of each XBackend that {@code route} names directly, once per XBackend
   * however many routes name it; a missing one has been reported by the route's validation.
   */
  private static void directXBackends(
      HttpRoute route, ResourceIndex index, BackendResolver resolver, Map<String, ResolvedBackend> backends) {
    for (RouteRule rule : route.rules()) {
      for (BackendRef ref : rule.backendRefs()) {
        String key = ref.isXBackend() ? ref.key(route.metadata().namespace()) : null;
        XBackend xbackend = key == null ? null
            : index.xbackend(ref.namespace() == null ? route.metadata().namespace() : ref.namespace(), ref.name());
        if (xbackend != null && !backends.containsKey(key)) {
          backends.put(key, resolver.direct(xbackend));
        }
      }
    }
  }

  private static String fileSet(List<Resource> resources) {
    Set<String> files = new LinkedHashSet<>();
    resources.forEach(resource -> files.add(resource.source().file()));
    return files.isEmpty() ? "<no resources>" : String.join(", ", files);
  }
}
