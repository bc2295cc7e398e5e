package dev.aigis.model.backend;

/**
 * Where the upstream API key comes from, a closed set, and optionally the header it is sent in.
 * The key itself is resolved when the snapshot is compiled and never appears in this record.
 */
public sealed interface Credentials {

  /** The header the key is sent in instead of the schema's own, or null for the schema's. */
  Header header();

  record SecretKeyRef(String name, String namespace, String key, Header header) implements Credentials {
    public SecretKeyRef(String name, String namespace, String key) {
      this(name, namespace, key, null);
    }
  }

  record EnvVar(String name, Header header) implements Credentials {
    public EnvVar(String name) {
      this(name, null);
    }
  }

  /**
   * {@code spec.credentials.header} and {@code prefix}: the key goes out as
   * {@code <name>: <prefix><key>}. {@code name} is null when only the prefix is set (the schema's
   * header, another prefix); {@code prefix} is null for the schema's usual one ({@code Bearer }
   * in {@code Authorization}, none elsewhere). Checked when read: {@code name} is an HTTP token
   * and not a header the gateway owns (hop-by-hop, framing, Host).
   */
  record Header(String name, String prefix) {}
}
