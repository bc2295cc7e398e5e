package dev.aigis.model.backend;

/**
 * Where the upstream API key comes from, a closed set. The key itself is resolved when the snapshot is
 * compiled and never appears in this record.
 */
public sealed interface Credentials {

  record SecretKeyRef(String name, String namespace, String key) implements Credentials {}

  record EnvVar(String name) implements Credentials {}
}
