package dev.aigis.model.load;

import dev.aigis.model.HttpRoute;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteMatch.MatchType;
import dev.aigis.model.route.RouteRule;
import dev.aigis.model.route.RouteRetry;
import dev.aigis.model.route.RouteTimeouts;
import java.util.List;
import java.util.Map;

/** Reads the spec of a gateway.networking.k8s.io/v1 HTTPRoute. */
final class HttpRouteReader {

  private static final List<String> VALUE_MATCH = List.of("type", "name", "value");
  private static final List<String> HEADER_VALUE = List.of("name", "value");
  private static final String[] HEADER_MODIFIER = {"set", "add", "remove"};

  /** Gateway API filter type → the union member field that carries its settings. */
  private static final Map<String, String> FILTER_MEMBERS = Map.of(
      "RequestHeaderModifier", "requestHeaderModifier",
      "ResponseHeaderModifier", "responseHeaderModifier",
      "URLRewrite", "urlRewrite",
      "ExtensionRef", "extensionRef");

  private HttpRouteReader() {}

  static HttpRoute read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "parentRefs", "hostnames", "rules");
    if (spec == null) {
      return null;
    }
    List<ParentRef> parents = spec.objects("parentRefs", false,
        List.of("group", "kind", "name", "namespace", "sectionName", "port"),
        ref -> new ParentRef(ref.string("group"), ref.string("kind"), ref.requiredString("name"),
            ref.string("namespace"), ref.string("sectionName"), ref.integer("port")));
    List<String> hostnames = spec.strings("hostnames");
    List<RouteRule> rules = spec.objects("rules", false,
        List.of("name", "matches", "filters", "backendRefs", "timeouts", "retry"), HttpRouteReader::rule);
    return new HttpRoute(metadata, source, parents, hostnames, rules);
  }

  private static RouteRule rule(Fields rule) {
    Fields timeouts = rule.object("timeouts", "request", "backendRequest");
    Fields retry = rule.object("retry", "codes", "attempts", "backoff");
    return new RouteRule(
        rule.string("name"),
        rule.objects("matches", false, List.of("path", "headers", "queryParams", "method"), HttpRouteReader::match),
        rule.objects("filters", false, List.of("type", "requestHeaderModifier", "responseHeaderModifier", "urlRewrite",
            "requestMirror", "requestRedirect", "extensionRef", "cors", "externalAuth"), HttpRouteReader::filter),
        rule.objects("backendRefs", false, List.of("group", "kind", "name", "namespace", "port", "weight", "priority"),
            ref -> new BackendRef(ref.string("group"), ref.string("kind"), ref.requiredString("name"),
                ref.string("namespace"), ref.integer("port"), ref.integer("weight"), priority(ref))),
        timeouts == null ? null : new RouteTimeouts(timeouts.duration("request"), timeouts.duration("backendRequest")),
        retry == null ? null : retry(retry));
  }

  private static Integer priority(Fields ref) {
    Integer priority = ref.integer("priority");
    if (priority != null && priority < 0) {
      ref.error("priority", "must be 0 or more (lower is tried first), got " + priority);
      return null;
    }
    return priority;
  }

  /** GEP-1731 retry: codes 400-599, attempts at least 1 (the first try counts), a positive backoff. */
  private static RouteRetry retry(Fields retry) {
    List<Integer> codes = retry.integers("codes");
    if (codes != null) {
      for (int code : codes) {
        if (code < 400 || code > 599) {
          retry.error("codes", "retryable codes must be 400..599, got " + code);
          return null;
        }
      }
    }
    Integer attempts = retry.integer("attempts");
    if (attempts != null && (attempts < 1 || attempts > 10)) {
      retry.error("attempts", "must be 1..10 (the first try counts), got " + attempts);
      return null;
    }
    java.time.Duration backoff = retry.duration("backoff");
    if (backoff != null && (backoff.isNegative() || backoff.isZero())) {
      retry.error("backoff", "must be positive");
      return null;
    }
    return RouteRetry.of(codes, attempts, backoff);
  }

  private static RouteMatch match(Fields match) {
    Fields path = match.object("path", "type", "value");
    return new RouteMatch(
        path == null ? null : new RouteMatch.PathMatch(
            path.choice("type", false, MatchType.values()), path.string("value")),
        match.objects("headers", false, VALUE_MATCH, header -> new RouteMatch.HeaderMatch(
            header.choice("type", false, MatchType.Exact, MatchType.RegularExpression),
            header.requiredString("name"), header.requiredString("value"))),
        match.objects("queryParams", false, VALUE_MATCH, query -> new RouteMatch.QueryParamMatch(
            query.choice("type", false, MatchType.Exact, MatchType.RegularExpression),
            query.requiredString("name"), query.requiredString("value"))),
        match.string("method"));
  }

  /**
   * Gateway API filters are a discriminated union: {@code type} names the one member field that must be
   * set. Types Aigis does not implement are rejected rather than ignored, since ignoring a filter
   * changes what the route does.
   */
  private static RouteFilter filter(Fields filter) {
    String type = filter.requiredString("type");
    if (type == null) {
      return null;
    }
    String member = FILTER_MEMBERS.get(type);
    if (member == null) {
      filter.error("type", "filter type " + type + " is not supported");
      return null;
    }
    for (String other : FILTER_MEMBERS.values()) {
      if (!other.equals(member) && filter.has(other)) {
        filter.error(other, "must not be set when type is " + type);
      }
    }
    return switch (type) {
      case "RequestHeaderModifier" -> {
        RouteFilter.HeaderModifier modifier = headerModifier(filter.requiredObject(member, HEADER_MODIFIER));
        yield modifier == null ? null : new RouteFilter.RequestHeaderModifier(modifier);
      }
      case "ResponseHeaderModifier" -> {
        RouteFilter.HeaderModifier modifier = headerModifier(filter.requiredObject(member, HEADER_MODIFIER));
        yield modifier == null ? null : new RouteFilter.ResponseHeaderModifier(modifier);
      }
      case "ExtensionRef" -> extensionRef(filter.requiredObject(member, "group", "kind", "name"));
      default -> urlRewrite(filter.requiredObject(member, "hostname", "path"));
    };
  }

  private static RouteFilter.HeaderModifier headerModifier(Fields modifier) {
    if (modifier == null) {
      return null;
    }
    return new RouteFilter.HeaderModifier(
        modifier.objects("set", false, HEADER_VALUE, HttpRouteReader::headerValue),
        modifier.objects("add", false, HEADER_VALUE, HttpRouteReader::headerValue),
        modifier.strings("remove"));
  }

  private static RouteFilter.HeaderValue headerValue(Fields header) {
    return new RouteFilter.HeaderValue(header.requiredString("name"), header.requiredString("value"));
  }

  /** Gateway API LocalObjectReference; which extensions are supported is the compiler's check. */
  private static RouteFilter.ExtensionRef extensionRef(Fields ref) {
    return ref == null ? null
        : new RouteFilter.ExtensionRef(ref.string("group"), ref.requiredString("kind"), ref.requiredString("name"));
  }

  private static RouteFilter.UrlRewrite urlRewrite(Fields rewrite) {
    if (rewrite == null) {
      return null;
    }
    Fields path = rewrite.object("path", "type", "replaceFullPath", "replacePrefixMatch");
    RouteFilter.PathModifier modifier = null;
    if (path != null) {
      RouteFilter.PathModifier.Type type = path.choice("type", true, RouteFilter.PathModifier.Type.values());
      if (type != null) {
        String member = type == RouteFilter.PathModifier.Type.ReplaceFullPath ? "replaceFullPath" : "replacePrefixMatch";
        String other = type == RouteFilter.PathModifier.Type.ReplaceFullPath ? "replacePrefixMatch" : "replaceFullPath";
        if (path.has(other)) {
          path.error(other, "must not be set when type is " + type);
        }
        modifier = new RouteFilter.PathModifier(type, path.requiredString(member));
      }
    }
    return new RouteFilter.UrlRewrite(rewrite.string("hostname"), modifier);
  }
}
