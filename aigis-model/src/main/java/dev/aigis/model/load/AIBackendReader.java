package dev.aigis.model.load;

import dev.aigis.model.AIBackend;
import dev.aigis.model.Names;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.XBackend;
import dev.aigis.model.route.ObjectReference;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.backend.BackendTraffic;
import dev.aigis.model.backend.Credentials;
import dev.aigis.model.backend.ProviderOptions;
import dev.aigis.model.backend.VertexConfig;
import java.net.URI;
import java.util.Locale;

/**
 * Reads the spec of an aigis.dev/v1alpha1 AIBackend. Endpoint and credentials are one-of choices:
 * exactly one form must be written.
 */
final class AIBackendReader {

  /** What {@code spec.backendRef.kind} may name. */
  private static final java.util.List<String> BACKEND_REF_KINDS = java.util.List.of(XBackend.KIND, "Service");


  /** What {@code credentials.env} may hold: a POSIX-style environment variable name. */
  private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");


  /** Google AI's Gemini API host, the endpoint of schema Gemini when none is given. */
  static final String GEMINI_HOST = "generativelanguage.googleapis.com";

  private AIBackendReader() {}

  static AIBackend read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec",
        "schema", "endpoint", "credentials", "modelNameOverride", "forwardClientAuthorization", "timeouts", "apiVersion", "aws",
        "vertex", "maxConcurrentRequests", "circuitBreaker", "backendRef", "openai", "anthropic");
    if (spec == null) {
      return null;
    }
    ApiSchema schema = spec.choice("schema", true, ApiSchema.values());
    Fields vertexFields = spec.object("vertex", "project", "location", "tokenUrl", "publisher");
    VertexConfig vertex = vertexFields == null ? null : new VertexConfig(vertexFields.requiredString("project"),
        vertexFields.requiredString("location"), vertexFields.string("tokenUrl"),
        vertexFields.choice("publisher", false, VertexConfig.Publisher.values()));
    // Google's schemas have well-known hosts: the endpoint may be left out.
    boolean google = schema == ApiSchema.Gemini || (schema == ApiSchema.GCPVertexAI && vertex != null && vertex.location() != null);
    Fields ref = spec.object("backendRef", "group", "kind", "name", "port");
    // A choice, not a string: the generated schema then knows both shapes (an XBackend's required group, a Service's port).
    String refKind = ref == null ? null : ref.choice("kind", true, BACKEND_REF_KINDS);
    String refName = ref == null ? null : ref.requiredString("name");
    boolean toService = "Service".equals(refKind);
    ObjectReference backendRef = ref == null || toService || refKind == null ? null : backendRef(ref, refKind, refName);
    if (spec.has("backendRef") && spec.has("endpoint")) {
      spec.error("backendRef", "set exactly one of endpoint or backendRef");
    }
    BackendEndpoint endpoint = spec.has("backendRef") ? (toService ? service(ref, refName) : null)
        : google && !spec.has("endpoint")
        ? new BackendEndpoint.Url(true, schema == ApiSchema.Gemini ? GEMINI_HOST : vertex.defaultHost(), 443, "")
        : endpoint(spec.requiredObject("endpoint", "url", "host", "port", "tls", "builtin"));
    Credentials credentials = credentials(spec.object("credentials", "secretRef", "env", "header", "prefix"), schema);
    String modelNameOverride = spec.string("modelNameOverride");
    boolean forwardAuthorization = spec.bool("forwardClientAuthorization", false);
    Fields timeouts = spec.object("timeouts", "connect", "response", "idle");
    Fields aws = spec.object("aws", "region");
    String awsRegion = aws == null ? null : aws.requiredString("region");
    return new AIBackend(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardAuthorization,
        timeouts == null ? null
            : new BackendTimeouts(timeouts.duration("connect"), timeouts.duration("response"), timeouts.duration("idle")),
        spec.string("apiVersion"), awsRegion, vertex, traffic(spec), backendRef, options(spec, schema));
  }

  /** {@code spec.openai.api} (OpenAI schema only) and {@code spec.anthropic.betas}. */
  private static ProviderOptions options(Fields spec, ApiSchema schema) {
    Fields openai = spec.object("openai", "api");
    ProviderOptions.OpenAiApi api = null;
    if (openai != null) {
      if (schema != null && schema != ApiSchema.OpenAI) {
        spec.error("openai", "only for schema OpenAI");
      } else {
        api = openai.choice("api", false, ProviderOptions.OpenAiApi.values());
      }
    }
    Fields anthropic = spec.object("anthropic", "betas");
    java.util.List<String> betas = anthropic == null ? null : anthropic.strings("betas");
    return api == null && betas == null ? ProviderOptions.DEFAULTS : new ProviderOptions(api, betas);
  }

  /** {@code maxConcurrentRequests} (at least 1) and {@code circuitBreaker} (each field defaulted). */
  private static BackendTraffic traffic(Fields spec) {
    Integer max = spec.integer("maxConcurrentRequests");
    if (max != null && max < 1) {
      spec.error("maxConcurrentRequests", "must be at least 1, got " + max);
      max = null;
    }
    Fields breaker = spec.object("circuitBreaker", "consecutiveFailures", "failureRatePercent", "minimumRequests",
        "window", "openFor", "halfOpenProbes");
    BackendTraffic.CircuitBreaker circuit = null;
    if (breaker != null) {
      var d = BackendTraffic.CircuitBreaker.DEFAULTS;
      circuit = new BackendTraffic.CircuitBreaker(
          positive(breaker, "consecutiveFailures", d.consecutiveFailures()),
          percent(breaker, d.failureRatePercent()),
          positive(breaker, "minimumRequests", d.minimumRequests()),
          positive(breaker, "window", d.window()),
          positive(breaker, "openFor", d.openFor()),
          positive(breaker, "halfOpenProbes", d.halfOpenProbes()));
    }
    return max == null && circuit == null ? BackendTraffic.NONE : new BackendTraffic(max, circuit);
  }

  private static int positive(Fields fields, String field, int absent) {
    Integer value = fields.integer(field);
    if (value != null && value < 1) {
      fields.error(field, "must be at least 1, got " + value);
    }
    return value == null || value < 1 ? absent : value;
  }

  private static java.time.Duration positive(Fields fields, String field, java.time.Duration absent) {
    java.time.Duration value = fields.duration(field);
    if (value != null && (value.isZero() || value.isNegative())) {
      fields.error(field, "must be positive");
    }
    return value == null || value.isZero() || value.isNegative() ? absent : value;
  }

  private static int percent(Fields fields, int absent) {
    Integer value = fields.integer("failureRatePercent");
    if (value != null && (value < 1 || value > 100)) {
      fields.error("failureRatePercent", "must be 1..100, got " + value);
      return absent;
    }
    return value == null ? absent : value;
  }

  /** {@code spec.backendRef}: an XBackend in the same namespace (GEP-4894 keeps backends beside what uses them). */
  private static ObjectReference backendRef(Fields ref, String kind, String name) {
    if (ref.integer("port") != null) { // read as an integer, so the generated schema types it
      ref.error("port", "only a Service backendRef has a port (an XBackend has its own spec.port)");
    }
    String group = ref.requiredString("group");
    if (group != null && !group.equals(XBackend.GROUP)) {
      ref.error("group", "must be " + XBackend.GROUP + " (got \"" + group + "\")");
    }
    return name == null ? null : new ObjectReference(group, kind, name, null);
  }

  /**
   * {@code spec.backendRef: {kind: Service, name, port}} (group omitted or "", the core group): a
   * Service in the backend's own namespace, as an XBackend is, reached at that port in plain HTTP.
   */
  private static BackendEndpoint service(Fields ref, String name) {
    String group = ref.string("group");
    if (group != null && !group.isEmpty()) {
      ref.error("group", "a Service is in the core group: omit group or set it to \"\" (got \"" + group + "\")");
    }
    Integer port = ref.integer("port");
    if (port == null) {
      ref.error("port", "required for a Service backendRef");
      return null;
    }
    if (port < 1 || port > 65535) {
      ref.error("port", "port " + port + " is out of range 1..65535");
      return null;
    }
    return name == null ? null : new BackendEndpoint.Service(name, port);
  }

  private static BackendEndpoint endpoint(Fields endpoint) {
    if (endpoint == null) {
      return null;
    }
    boolean url = endpoint.has("url");
    boolean host = endpoint.has("host") || endpoint.has("port") || endpoint.has("tls");
    boolean builtin = endpoint.has("builtin");
    if ((url ? 1 : 0) + (host ? 1 : 0) + (builtin ? 1 : 0) != 1) {
      endpoint.issues().add(endpoint.path(), "set exactly one of url, host (with port and tls) or builtin");
      return null;
    }
    if (builtin) {
      BackendEndpoint.Builtin.Kind kind = endpoint.choice("builtin", true, BackendEndpoint.Builtin.Kind.values());
      return kind == null ? null : new BackendEndpoint.Builtin(kind);
    }
    if (url) {
      return url(endpoint);
    }
    String hostName = endpoint.requiredString("host");
    boolean tls = endpoint.bool("tls", false);
    Integer port = endpoint.integer("port");
    return hostName == null ? null : checkedPort(endpoint, "port", new BackendEndpoint.Url(tls, hostName,
        port == null ? defaultPort(tls) : port, ""));
  }

  /** Parses {@code http(s)://host[:port][/basePath]}. The URL is never echoed: it may carry user info. */
  private static BackendEndpoint url(Fields endpoint) {
    String text = endpoint.string("url");
    if (text == null) {
      return null;
    }
    URI uri = endpoint.uri("url", text);
    if (uri == null) {
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      endpoint.error("url", "URL scheme must be http or https");
      return null;
    }
    if (uri.getHost() == null) {
      endpoint.error("url", "URL has no host");
      return null;
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      endpoint.error("url", "URL must not have user info, a query or a fragment; put credentials in spec.credentials");
      return null;
    }
    boolean tls = scheme.equals("https");
    String basePath = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return checkedPort(endpoint, "url",
        new BackendEndpoint.Url(tls, uri.getHost(), uri.getPort() == -1 ? defaultPort(tls) : uri.getPort(), basePath));
  }

  private static BackendEndpoint checkedPort(Fields endpoint, String field, BackendEndpoint.Url url) {
    if (url.port() < 1 || url.port() > 65535) {
      endpoint.error(field, "port " + url.port() + " is out of range 1..65535");
      return null;
    }
    return url;
  }

  private static int defaultPort(boolean tls) {
    return tls ? 443 : 80;
  }

  /**
   * For AWSBedrock a secretRef names the Secret only: its keys are fixed ({@code accessKeyId},
   * {@code secretAccessKey}, optional {@code sessionToken}) and {@code key} is not used.
   */
  private static Credentials credentials(Fields credentials, ApiSchema schema) {
    if (credentials == null) {
      return null;
    }
    boolean aws = schema == ApiSchema.AWSBedrock;
    Credentials.Header header = header(credentials, schema);
    if (credentials.has("secretRef") == credentials.has("env")) {
      credentials.issues().add(credentials.path(), "set exactly one of secretRef or env");
      return null;
    }
    if (credentials.has("env")) {
      String name = credentials.requiredString("env");
      if (name != null && !ENV_NAME.matcher(name).matches()) {
        // Never echoed: a value here that is not a variable name is most likely the key itself.
        credentials.issues().add(credentials.path("env"),
            "must name an environment variable (letters, digits and _, not starting with a digit), not hold the key");
        return null;
      }
      return name == null ? null : new Credentials.EnvVar(name, header);
    }
    Fields ref = credentials.requiredObject("secretRef", "name", "key", "namespace");
    return ref == null ? null
        : new Credentials.SecretKeyRef(ref.requiredString("name"), ref.string("namespace"),
            aws ? ref.string("key") : ref.requiredString("key"), header);
  }

  /**
   * Headers a credential may not be sent in: the ones the gateway owns (framing, hop-by-hop, Host)
   * and the ones it sets itself on every upstream request.
   */
  private static final java.util.Set<String> RESERVED_HEADERS = java.util.Set.of("host", "content-length",
      "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect",
      "content-type", "accept-encoding", "x-request-id", "x-forwarded-for", "cookie");

  /**
   * {@code header} and {@code prefix}: where the key goes instead of the schema's usual header.
   * Not for the schemas that sign or exchange their credential (AWSBedrock, GCPVertexAI). The
   * prefix is configuration, not a secret, so it may be echoed; control characters are refused.
   */
  private static Credentials.Header header(Fields credentials, ApiSchema schema) {
    if (!credentials.has("header") && !credentials.has("prefix")) {
      return null;
    }
    if (schema == ApiSchema.AWSBedrock || schema == ApiSchema.GCPVertexAI) {
      credentials.error(credentials.has("header") ? "header" : "prefix",
          "not used by schema " + schema + ", which " + (schema == ApiSchema.AWSBedrock ? "signs" : "exchanges")
              + " its credential");
      return null;
    }
    String name = credentials.string("header");
    String prefix = credentials.has("prefix") ? credentials.string("prefix") : null;
    boolean ok = true;
    if (name != null && !Names.isHeaderName(name)) {
      credentials.error("header", "\"" + name + "\" is not a valid HTTP header name (RFC 9110 token)");
      ok = false;
    } else if (name != null && RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      credentials.error("header", "\"" + name + "\" is set by the gateway (hop-by-hop, framing or its own); "
          + "choose another header for the credential");
      ok = false;
    }
    if (prefix != null && prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      credentials.error("prefix", "must not contain control characters");
      ok = false;
    }
    return ok ? new Credentials.Header(name, prefix) : null;
  }
}
