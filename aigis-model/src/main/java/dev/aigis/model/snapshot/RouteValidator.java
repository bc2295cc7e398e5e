package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.Durations;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.Names;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.XBackend;
import dev.aigis.model.gateway.Listener;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteMatch.MatchType;
import dev.aigis.model.route.RouteRule;
import dev.aigis.model.route.RouteTimeouts;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Checks one HTTPRoute: its parents and backends resolve, and its matches and filters make sense. */
final class RouteValidator {

  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final int MAX_WEIGHT = 1_000_000;

  private final ResourceIndex index;
  private final ProcessorConflicts conflicts;
  private final Problems problems;

  RouteValidator(ResourceIndex index, ProcessorConflicts conflicts, Problems problems) {
    this.index = index;
    this.conflicts = conflicts;
    this.problems = problems;
  }

  void validate(HttpRoute route) {
    if (route.parentRefs().isEmpty()) {
      problems.at(route, "spec.parentRefs", "at least one parentRef is required");
    }
    for (int i = 0; i < route.parentRefs().size(); i++) {
      parent(route, route.parentRefs().get(i), "spec.parentRefs[" + i + "]");
    }
    for (int i = 0; i < route.hostnames().size(); i++) {
      String hostname = route.hostnames().get(i);
      if (!Names.isHostname(hostname, true)) {
        problems.at(route, "spec.hostnames[" + i + "]", "invalid hostname \"" + hostname + "\"");
      }
    }
    for (int i = 0; i < route.rules().size(); i++) {
      rule(route, route.rules().get(i), "spec.rules[" + i + "]");
    }
  }

  private void parent(HttpRoute route, ParentRef ref, String path) {
    if (!Objects.requireNonNullElse(ref.group(), GATEWAY_GROUP).equals(GATEWAY_GROUP)
        || !Objects.requireNonNullElse(ref.kind(), Gateway.KIND).equals(Gateway.KIND)) {
      problems.at(route, path + (ref.kind() == null ? ".group" : ".kind"),
          "only gateway.networking.k8s.io/Gateway parents are supported");
      return;
    }
    String namespace = ref.namespace() == null ? route.metadata().namespace() : ref.namespace();
    Gateway gateway = index.gateway(namespace, ref.name());
    if (gateway == null) {
      problems.notFound(route, path + ".name", "Gateway", namespace, ref.name());
      return;
    }
    boolean found = gateway.listeners().stream().anyMatch(listener -> attaches(ref, listener));
    if (!found) {
      String field = ref.sectionName() != null ? ".sectionName" : ".port";
      String wanted = (ref.sectionName() != null ? " named \"" + ref.sectionName() + "\"" : "")
          + (ref.port() != null ? " on port " + ref.port() : "");
      problems.at(route, path + field, "Gateway " + gateway.metadata().qualifiedName() + " has no listener" + wanted);
    }
  }

  private static boolean attaches(ParentRef ref, Listener listener) {
    return (ref.sectionName() == null || ref.sectionName().equals(listener.name()))
        && (ref.port() == null || ref.port() == listener.port());
  }

  private void rule(HttpRoute route, RouteRule rule, String path) {
    for (int i = 0; i < rule.matches().size(); i++) {
      match(route, rule.matches().get(i), path + ".matches[" + i + "]");
    }
    for (int i = 0; i < rule.filters().size(); i++) {
      filter(route, rule, rule.filters().get(i), path + ".filters[" + i + "]");
    }
    for (int i = 0; i < rule.backendRefs().size(); i++) {
      backend(route, rule.backendRefs().get(i), path + ".backendRefs[" + i + "]");
    }
    timeouts(route, rule.timeouts(), path + ".timeouts");
  }

  private void match(HttpRoute route, RouteMatch match, String path) {
    RouteMatch.PathMatch pathMatch = match.path();
    if (pathMatch.type() == MatchType.RegularExpression) {
      regex(route, pathMatch.value(), path + ".path.value");
    } else if (!pathMatch.value().startsWith("/")) {
      problems.at(route, path + ".path.value", "path \"" + pathMatch.value() + "\" must start with \"/\"");
    }
    for (int i = 0; i < match.headers().size(); i++) {
      RouteMatch.HeaderMatch header = match.headers().get(i);
      String headerPath = path + ".headers[" + i + "]";
      headerName(route, header.name(), headerPath + ".name");
      if (header.type() == MatchType.RegularExpression) {
        regex(route, header.value(), headerPath + ".value");
      }
    }
    for (int i = 0; i < match.queryParams().size(); i++) {
      RouteMatch.QueryParamMatch query = match.queryParams().get(i);
      if (query.type() == MatchType.RegularExpression) {
        regex(route, query.value(), path + ".queryParams[" + i + "].value");
      }
    }
    if (match.method() != null && !METHODS.contains(match.method())) {
      problems.at(route, path + ".method", "unsupported method \"" + match.method() + "\"; expected one of "
          + "GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH");
    }
  }

  private void filter(HttpRoute route, RouteRule rule, RouteFilter filter, String path) {
    switch (filter) {
      case RouteFilter.ExtensionRef ref -> extensionRef(route, ref, path + ".extensionRef");
      case RouteFilter.RequestHeaderModifier(RouteFilter.HeaderModifier modifier) ->
          headerModifier(route, modifier, path + ".requestHeaderModifier");
      case RouteFilter.ResponseHeaderModifier(RouteFilter.HeaderModifier modifier) ->
          headerModifier(route, modifier, path + ".responseHeaderModifier");
      case RouteFilter.UrlRewrite(String hostname, RouteFilter.PathModifier modifier) -> {
        if (hostname != null && !Names.isHostname(hostname, false)) {
          problems.at(route, path + ".urlRewrite.hostname", "invalid hostname \"" + hostname + "\"");
        }
        if (modifier != null) {
          pathModifier(route, rule, modifier, path + ".urlRewrite.path");
        }
      }
    }
  }

  /**
   * An ExtensionRef must name a PayloadProcessor that is in the snapshot, so the data plane never meets
   * one it cannot run (skipping it would change what the route does).
   */
  private void extensionRef(HttpRoute route, RouteFilter.ExtensionRef ref, String path) {
    if (!BackendRef.AIGIS_GROUP.equals(ref.group()) || !PayloadProcessor.KIND.equals(ref.kind())) {
      problems.at(route, path + (BackendRef.AIGIS_GROUP.equals(ref.group()) ? ".kind" : ".group"),
          "only aigis.dev/PayloadProcessor extensions are supported");
      return;
    }
    String qualified = route.metadata().namespace() + "/" + ref.name();
    PayloadProcessor processor = index.payloadProcessor(route.metadata().namespace(), ref.name());
    if (processor == null) {
      problems.notFound(route, path + ".name", "PayloadProcessor", route.metadata().namespace(), ref.name());
    } else if (conflicts.leftOut(processor)) {
      problems.at(route, path + ".name", "PayloadProcessor " + qualified + " is left out: it " + conflicts.reason(processor));
    }
  }

  private void pathModifier(HttpRoute route, RouteRule rule, RouteFilter.PathModifier modifier, String path) {
    boolean full = modifier.type() == RouteFilter.PathModifier.Type.ReplaceFullPath;
    String field = path + (full ? ".replaceFullPath" : ".replacePrefixMatch");
    if (modifier.value() != null && !modifier.value().startsWith("/")) {
      problems.at(route, field, "path \"" + modifier.value() + "\" must start with \"/\"");
    }
    if (!full && rule.matches().stream().anyMatch(match -> match.path().type() != MatchType.PathPrefix)) {
      problems.at(route, path + ".type", "ReplacePrefixMatch requires every match of the rule to be a PathPrefix match");
    }
  }

  private void headerModifier(HttpRoute route, RouteFilter.HeaderModifier modifier, String path) {
    headerValues(route, modifier.set(), path + ".set");
    headerValues(route, modifier.add(), path + ".add");
    for (int i = 0; i < modifier.remove().size(); i++) {
      headerName(route, modifier.remove().get(i), path + ".remove[" + i + "]");
    }
  }

  private void headerValues(HttpRoute route, List<RouteFilter.HeaderValue> values, String path) {
    for (int i = 0; i < values.size(); i++) {
      headerName(route, values.get(i).name(), path + "[" + i + "].name");
    }
  }

  private void backend(HttpRoute route, BackendRef ref, String path) {
    if (ref.weight() < 0 || ref.weight() > MAX_WEIGHT) {
      problems.at(route, path + ".weight", "weight " + ref.weight() + " is out of range 0..1000000");
    }
    // Gateway API defaults an omitted group to the core group and kind to Service.
    String kind = Objects.requireNonNullElse(ref.kind(), "Service");
    String namespace = ref.namespace() == null ? route.metadata().namespace() : ref.namespace();
    if (ref.isService()) {
      // Reached by its cluster DNS name: whether it exists is the cluster's to say (the controller checks it).
      if (ref.port() == null) {
        problems.at(route, path + ".port", "required for a Service backendRef");
      } else if (ref.port() < 1 || ref.port() > 65535) {
        problems.at(route, path + ".port", "port " + ref.port() + " is out of range 1..65535");
      }
    } else if (BackendRef.AIGIS_GROUP.equals(ref.group()) && kind.equals(BackendRef.AIBACKEND_KIND)) {
      if (index.backend(namespace, ref.name()) == null) {
        problems.notFound(route, path + ".name", AIBackend.KIND, namespace, ref.name());
      }
    } else if (ref.isXBackend()) {
      if (index.xbackend(namespace, ref.name()) == null) {
        problems.notFound(route, path + ".name", XBackend.KIND, namespace, ref.name());
      }
    } else {
      // The field to fix: the group when it is neither backend's, else the kind that does not go with it.
      boolean knownGroup = BackendRef.AIGIS_GROUP.equals(ref.group()) || BackendRef.XBACKEND_GROUP.equals(ref.group());
      problems.at(route, path + (knownGroup ? ".kind" : ".group"), (knownGroup
          ? "kind " + kind + " is not served from group " + ref.group() + "; "
          : "") + "only aigis.dev/AIBackend, gateway.networking.x-k8s.io/XBackend and core Service backends are supported");
    }
  }

  /** Zero disables a route timeout (Gateway API); a try cannot outlast the whole request. */
  private void timeouts(HttpRoute route, RouteTimeouts timeouts, String path) {
    if (timeouts == null || timeouts.request() == null || timeouts.backendRequest() == null) {
      return;
    }
    if (!timeouts.request().isZero() && timeouts.backendRequest().compareTo(timeouts.request()) > 0) {
      problems.at(route, path + ".backendRequest", "backendRequest " + Durations.format(timeouts.backendRequest())
          + " must not exceed request " + Durations.format(timeouts.request()));
    }
  }

  /**
   * Route regexes run on every request, so they use RE2 (linear time, no backtracking): a pattern
   * that needs what RE2 leaves out (back-references, look-around) is refused here, with the reason.
   */
  private void regex(HttpRoute route, String regex, String path) {
    try {
      com.google.re2j.Pattern.compile(regex);
    } catch (com.google.re2j.PatternSyntaxException e) {
      problems.at(route, path, "invalid regular expression \"" + regex + "\": " + e.getDescription() + " (RE2 syntax)");
    }
  }

  private void headerName(HttpRoute route, String name, String path) {
    if (!Names.isHeaderName(name)) {
      problems.at(route, path, "invalid header name \"" + name + "\"");
    }
  }
}
