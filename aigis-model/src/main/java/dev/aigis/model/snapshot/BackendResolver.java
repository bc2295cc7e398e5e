package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.Durations;
import dev.aigis.model.Secret;
import dev.aigis.model.backend.AwsCredentials;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.backend.ServiceAccountKey;
import dev.aigis.model.backend.VertexConfig;
import dev.aigis.model.backend.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * Resolves an AIBackend's credentials and timeouts. The key is read here, once per compile, so a
 * reload picks up a rotated Secret or variable; messages name where the key should be, never its value.
 */
final class BackendResolver {

  private final ResourceIndex index;
  private final Function<String, String> environment;
  private final Problems problems;

  private final XBackendResolver xbackends;
  private final dev.aigis.model.backend.ServiceAddresses services;

  BackendResolver(ResourceIndex index, Function<String, String> environment, dev.aigis.model.backend.ServiceAddresses services,
      Problems problems) {
    this.index = index;
    this.environment = environment;
    this.services = services;
    this.problems = problems;
    this.xbackends = new XBackendResolver(index, problems);
  }

  /** Warnings about XBackends (unusable CA references), in the format of errors. */
  java.util.List<dev.aigis.model.ConfigError> warnings() {
    return xbackends.warnings();
  }

  /** The passthrough backend for an HTTPRoute ref straight to {@code xbackend}; see {@link XBackendResolver#direct}. */
  ResolvedBackend direct(dev.aigis.model.XBackend xbackend) {
    return xbackends.direct(xbackend);
  }

  ResolvedBackend resolve(AIBackend backend) {
    if (backend.endpoint() instanceof dev.aigis.model.backend.BackendEndpoint.Service service) {
      return resolveEndpoint(backend.withEndpoint(
          services.address(backend.metadata().namespace(), service.name(), service.port())));
    }
    return backend.backendRef() == null ? resolveEndpoint(backend) : xbackends.connect(backend, this::resolveEndpoint);
  }

  /**
   * The backend implied by an HTTPRoute ref straight to port {@code port} of the Service
   * {@code namespace/name}: an OpenAI-compatible server in the cluster (vLLM, a local model server),
   * spoken to as it is, as a ref straight to an XBackend is: schema OpenAI, no credentials of its own
   * (the client's are forwarded), default timeouts. Its name is {@code service/<name>:<port>}, its key
   * {@link dev.aigis.model.route.BackendRef#serviceKey}, distinct from every AIBackend's.
   */
  ResolvedBackend service(String namespace, String name, int port, dev.aigis.model.SourceRef source) {
    var implied = new AIBackend(new dev.aigis.model.ObjectMeta("service/" + name + ":" + port, namespace, null, null, null),
        source, ApiSchema.OpenAI, services.address(namespace, name, port), null, null, true, null);
    return new ResolvedBackend(implied, null, BackendTimeouts.DEFAULTS.withDefaults());
  }

  private ResolvedBackend resolveEndpoint(AIBackend backend) {
    BackendTimeouts timeouts = backend.timeouts() == null ? BackendTimeouts.DEFAULTS : backend.timeouts();
    checkPositive(backend, "connect", timeouts.connect());
    checkPositive(backend, "response", timeouts.response());
    checkPositive(backend, "idle", timeouts.idle());
    if (backend.schema() == dev.aigis.model.backend.ApiSchema.AzureOpenAI
        && (backend.apiVersion() == null || backend.apiVersion().isBlank())) {
      problems.at(backend, "spec.apiVersion", "required for schema AzureOpenAI (e.g. 2024-10-21)");
    }
    if (backend.schema() != dev.aigis.model.backend.ApiSchema.OpenAI
        && backend.endpoint() instanceof dev.aigis.model.backend.BackendEndpoint.Builtin) {
      problems.at(backend, "spec.schema", "the builtin Echo endpoint speaks OpenAI; use schema OpenAI");
    }
    if (backend.schema() == dev.aigis.model.backend.ApiSchema.AWSBedrock) {
      if (backend.awsRegion() == null || backend.awsRegion().isBlank()) {
        problems.at(backend, "spec.aws.region", "required for schema AWSBedrock (e.g. us-east-1)");
      }
      return new ResolvedBackend(backend, null, timeouts.withDefaults(), awsCredentials(backend), null);
    }
    if (backend.awsRegion() != null) {
      problems.at(backend, "spec.aws", "only used by schema AWSBedrock");
    }
    if (backend.vertex() != null && backend.schema() != ApiSchema.GCPVertexAI) {
      problems.at(backend, "spec.vertex", "only for schema GCPVertexAI");
    }
    String credential = apiKey(backend);
    if (backend.schema() != ApiSchema.GCPVertexAI) {
      return new ResolvedBackend(backend, credential, timeouts.withDefaults());
    }
    return new ResolvedBackend(backend, null, timeouts.withDefaults(), null, serviceAccount(backend, credential));
  }

  /** Vertex needs its project, location and a service-account key; the key is checked here, not at the first request. */
  private ServiceAccountKey serviceAccount(AIBackend backend, String json) {
    VertexConfig vertex = backend.vertex();
    if (vertex == null) {
      problems.at(backend, "spec.vertex", "required for schema GCPVertexAI (project and location)");
    } else {
      if (vertex.project() == null || vertex.project().isBlank()) {
        problems.at(backend, "spec.vertex.project", "required for schema GCPVertexAI");
      }
      if (vertex.location() == null || vertex.location().isBlank()) {
        problems.at(backend, "spec.vertex.location", "required for schema GCPVertexAI (e.g. us-central1)");
      }
    }
    if (backend.credentials() == null) {
      problems.at(backend, "spec.credentials", "required for schema GCPVertexAI: a service account key JSON");
      return null;
    }
    if (json == null) {
      return null; // already reported
    }
    try {
      return ServiceAccountKey.parse(json);
    } catch (IllegalArgumentException e) {
      String field = backend.credentials() instanceof Credentials.EnvVar ? "spec.credentials.env" : "spec.credentials.secretRef.key";
      problems.at(backend, field, "the credential " + e.getMessage());
      return null;
    }
  }

  /** Bedrock signs every request, so credentials are required, from a Secret with fixed keys. */
  private AwsCredentials awsCredentials(AIBackend backend) {
    if (!(backend.credentials() instanceof Credentials.SecretKeyRef ref)) {
      problems.at(backend, "spec.credentials.secretRef", "required for schema AWSBedrock: a Secret with keys "
          + AwsCredentials.ACCESS_KEY_ID + ", " + AwsCredentials.SECRET_ACCESS_KEY + " and optionally "
          + AwsCredentials.SESSION_TOKEN);
      return null;
    }
    String namespace = ref.namespace() == null ? backend.metadata().namespace() : ref.namespace();
    String qualified = namespace + "/" + ref.name();
    Secret secret = index.secret(namespace, ref.name());
    if (secret == null) {
      problems.notFound(backend, "spec.credentials.secretRef.name", "Secret", namespace, ref.name());
      return null;
    }
    String id = secretValue(secret, AwsCredentials.ACCESS_KEY_ID);
    String key = secretValue(secret, AwsCredentials.SECRET_ACCESS_KEY);
    String token = secretValue(secret, AwsCredentials.SESSION_TOKEN);
    if (id == null || key == null) {
      String missing = (id == null ? "\"" + AwsCredentials.ACCESS_KEY_ID + "\"" : "")
          + (id == null && key == null ? " and " : "")
          + (key == null ? "\"" + AwsCredentials.SECRET_ACCESS_KEY + "\"" : "");
      problems.at(backend, "spec.credentials.secretRef.name",
          "Secret " + qualified + " has no (or an empty) " + missing + " for schema AWSBedrock");
      return null;
    }
    return new AwsCredentials(id, key, token);
  }

  private static String secretValue(Secret secret, String key) {
    byte[] value = secret.data().get(key);
    String text = value == null ? null : new String(value, StandardCharsets.UTF_8).trim();
    return text == null || text.isEmpty() ? null : text;
  }

  private String apiKey(AIBackend backend) {
    return switch (backend.credentials()) {
      case null -> null;
      case Credentials.EnvVar env -> {
        String value = environment.apply(env.name());
        if (value == null || value.isBlank()) {
          // Named only when it looks like a variable name: a mixed-case value may be a pasted key.
          problems.at(backend, "spec.credentials.env", env.name().matches("[A-Z_][A-Z0-9_]*")
              ? "environment variable " + env.name() + " is not set"
              : "the environment variable it names is not set (a lower- or mixed-case name is not shown, in case it is a key)");
          yield null;
        }
        yield value.trim();
      }
      case Credentials.SecretKeyRef ref -> {
        String namespace = ref.namespace() == null ? backend.metadata().namespace() : ref.namespace();
        String qualified = namespace + "/" + ref.name();
        Secret secret = index.secret(namespace, ref.name());
        if (secret == null) {
          problems.notFound(backend, "spec.credentials.secretRef.name", "Secret", namespace, ref.name());
          yield null;
        }
        byte[] value = secret.data().get(ref.key());
        if (value == null) {
          problems.at(backend, "spec.credentials.secretRef.key", "Secret " + qualified + " has no key \"" + ref.key() + "\"");
          yield null;
        }
        String key = new String(value, StandardCharsets.UTF_8).trim();
        if (key.isEmpty()) {
          problems.at(backend, "spec.credentials.secretRef.key", "key \"" + ref.key() + "\" of Secret " + qualified + " is empty");
          yield null;
        }
        yield key;
      }
    };
  }

  private void checkPositive(AIBackend backend, String field, Duration timeout) {
    if (timeout != null && !timeout.isPositive()) {
      problems.at(backend, "spec.timeouts." + field, "must be positive (got " + Durations.format(timeout) + ")");
    }
  }
}
