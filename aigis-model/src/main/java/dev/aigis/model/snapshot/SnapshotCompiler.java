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
import dev.aigis.model.KnowledgeBase;
import dev.aigis.model.Resource;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.Secret;
import dev.aigis.model.backend.ServiceAddresses;
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
  private final ServiceAddresses services;

  /** @param environment looks up environment variables for {@code credentials.env}, such as {@code System::getenv} */
  public SnapshotCompiler(Function<String, String> environment) {
    this(environment, ServiceAddresses.CLUSTER_DNS);
  }

  /** @param services where a Service backend is reached (its cluster DNS name, unless a test or an out-of-cluster gateway says otherwise) */
  public SnapshotCompiler(Function<String, String> environment, ServiceAddresses services) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.services = Objects.requireNonNull(services, "services");
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
    ConfigSnapshot snapshot = attempt(resources, unloaded, problems, true);
    return problems.isEmpty() ? new CompileResult.Success(snapshot) : new CompileResult.Failure(problems.errors());
  }

  /**
   * Compiles each resource on its own, as a cluster needs (file mode's {@link #compile} refuses the
   * whole change instead): a resource with an error is left out with its errors, and the rest is
   * compiled again, so a resource that referred to one left out is left out in turn ("not found").
   * Errors that belong to no resource (no Gateway at all) are not errors here: a cluster may have no
   * Gateway yet, and the snapshot then serves nothing.
   *
   * <p>A route is judged rule by rule on its backends, as Gateway API asks: a backendRef with an
   * error (its backend not found or left out, a kind Aigis does not serve, a bad weight or port) is
   * removed from its rule and reported in {@link PerResourceResult#unresolved}, and the route stays
   * with its other rules and refs; a rule left with no backend answers 500. Any other error in a route
   * (a match, a filter, a parent) still leaves the route out whole.
   */
  public PerResourceResult compilePerResource(List<Resource> resources) {
    List<Resource> kept = new ArrayList<>(resources);
    Map<String, List<ConfigError>> rejected = new LinkedHashMap<>();
    Map<String, List<ConfigError>> unresolved = new LinkedHashMap<>();
    // The routes that have lost refs, by the trimmed copy now in kept.
    Map<Resource, UnresolvedRefs.Trimmed> trimmed = new java.util.IdentityHashMap<>();
    while (true) {
      Problems problems = new Problems();
      ConfigSnapshot snapshot = attempt(kept, Set.of(), problems, false);
      Set<Resource> blamed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      Map<Resource, List<ConfigError>> refErrors = new java.util.IdentityHashMap<>();
      for (int i = 0; i < problems.errors().size(); i++) {
        Resource owner = problems.owner(i);
        ConfigError error = problems.errors().get(i);
        if (owner instanceof HttpRoute && UnresolvedRefs.ruleAndRef(error.fieldPath()) != null) {
          refErrors.computeIfAbsent(owner, key -> new ArrayList<>()).add(error);
        } else if (owner != null) {
          blamed.add(owner);
          UnresolvedRefs.Trimmed trim = trimmed.get(owner);
          rejected.computeIfAbsent(PerResourceResult.identity(owner), key -> new ArrayList<>())
              .add(trim == null ? error : trim.asWritten(error));
        }
      }
      refErrors.keySet().removeAll(blamed);
      if (blamed.isEmpty() && refErrors.isEmpty()) {
        return new PerResourceResult(snapshot, rejected, unresolved);
      }
      // Each round leaves out a resource or removes a backendRef, so this ends.
      kept.removeIf(blamed::contains);
      for (var entry : refErrors.entrySet()) {
        HttpRoute route = (HttpRoute) entry.getKey();
        UnresolvedRefs.Trimmed trim = trimmed.getOrDefault(route, UnresolvedRefs.Trimmed.of(route));
        entry.getValue().forEach(error -> unresolved.computeIfAbsent(PerResourceResult.identity(route),
            key -> new ArrayList<>()).add(trim.asWritten(error)));
        UnresolvedRefs.Trimmed next = trim.without(entry.getValue());
        trimmed.remove(route);
        trimmed.put(next.route(), next);
        kept.set(indexOf(kept, route), next.route());
      }
    }
  }

  private static int indexOf(List<Resource> resources, Resource resource) {
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i) == resource) {
        return i;
      }
    }
    throw new IllegalStateException("not kept: " + PerResourceResult.identity(resource));
  }

  /** One compilation, its problems gathered in {@code problems}; the snapshot is only meaningful when there are none. */
  private ConfigSnapshot attempt(List<Resource> resources, Set<String> unloaded, Problems problems, boolean requireListener) {
    ResourceIndex index = new ResourceIndex(resources, problems);

    ListenerBinder listenerBinder = new ListenerBinder(index, problems);
    BackendResolver backendResolver = new BackendResolver(index, environment, services, problems);
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
        case ConfigMap map -> { } // read through the XBackends and KnowledgeBases that name it
        case KnowledgeBase base -> KnowledgeBaseValidator.validate(base, index, problems);
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
    routes.forEach(route -> directServices(route, backendResolver, backends));
    boolean anyListener = resources.stream()
        .anyMatch(resource -> resource instanceof Gateway gateway && !gateway.listeners().isEmpty());
    // Said only of a configuration that loaded whole: with documents left out for their errors it
    // is as likely to be noise (the Gateway among them, or a fragment being fixed) as news.
    if (requireListener && !anyListener && unloaded.isEmpty()) {
      problems.add(new ConfigError(fileSet(resources), 0, null, null, "no Gateway with at least one listener is defined"));
    }
    List<ConfigError> warnings = new ArrayList<>(conflicts.warnings());
    warnings.addAll(policyValidator.warnings());
    warnings.addAll(backendResolver.warnings());
    return new ConfigSnapshot(listeners, routes, backends, processors, resources, warnings, policyValidator.policies());
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

  /** Adds the passthrough backend of each Service port that {@code route} names directly, once per Service port. */
  private static void directServices(HttpRoute route, BackendResolver resolver, Map<String, ResolvedBackend> backends) {
    for (RouteRule rule : route.rules()) {
      for (BackendRef ref : rule.backendRefs()) {
        String key = ref.isService() ? ref.key(route.metadata().namespace()) : null;
        if (key != null && ref.port() >= 1 && ref.port() <= 65535 && !backends.containsKey(key)) {
          String namespace = ref.namespace() == null || ref.namespace().isBlank() ? route.metadata().namespace() : ref.namespace();
          backends.put(key, resolver.service(namespace, ref.name(), ref.port(), route.source()));
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
