package dev.aigis.model;

import dev.aigis.model.processing.TargetRef;
import java.util.List;
import java.util.Locale;

/**
 * aigis.dev/v1alpha1 EgressPolicy: the external hostnames the backends of one Gateway may reach.
 * An entry is a hostname ({@code api.openai.com}) or {@code *.} and a suffix ({@code *.anthropic.com}),
 * which matches subdomains of the suffix only, never the suffix itself.
 */
public record EgressPolicy(ObjectMeta metadata, SourceRef source, TargetRef targetRef, List<String> allowedHostnames)
    implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "EgressPolicy";

  public EgressPolicy {
    allowedHostnames = allowedHostnames == null ? List.of() : List.copyOf(allowedHostnames);
  }

  /** Whether {@code host} (a hostname, any case, an optional trailing dot or {@code :port} ignored) is allowed. */
  public boolean allows(String host) {
    return allows(allowedHostnames, host);
  }

  public static boolean allows(List<String> allowed, String host) {
    String name = normalize(host);
    for (String entry : allowed) {
      String pattern = entry.toLowerCase(Locale.ROOT);
      if (pattern.startsWith("*.")
          ? name.endsWith(pattern.substring(1)) && name.length() > pattern.length() - 1
          : name.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  /** Lower case, without a port and without a trailing dot. */
  public static String normalize(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (!name.startsWith("[")) {
      int colon = name.lastIndexOf(':');
      if (colon >= 0 && name.indexOf(':') == colon) {
        name = name.substring(0, colon);
      }
    }
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  @Override
  public String kind() {
    return KIND;
  }
}
