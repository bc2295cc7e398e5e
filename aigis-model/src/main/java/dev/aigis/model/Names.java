package dev.aigis.model;

import java.util.regex.Pattern;

/** The name syntaxes Kubernetes, Gateway API and HTTP impose, shared by the loader and the compiler. */
public final class Names {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** Gateway API Hostname: lowercase DNS names, optionally with one leading {@code *.} label. */
  private static final Pattern HOSTNAME =
      Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** RFC 9110 token. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  private Names() {}

  /** RFC 1123 subdomain, as Kubernetes requires for most object names. */
  public static boolean isDnsSubdomain(String name) {
    return name != null && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
  }

  /** RFC 1123 label, as Kubernetes requires for namespaces. */
  public static boolean isDnsLabel(String name) {
    return name != null && name.length() <= 63 && DNS_LABEL.matcher(name).matches();
  }

  public static boolean isHostname(String host, boolean allowWildcard) {
    return host != null
        && host.length() <= 253
        && HOSTNAME.matcher(host).matches()
        && (allowWildcard || !host.startsWith("*."));
  }

  public static boolean isHeaderName(String name) {
    return name != null && HEADER_NAME.matcher(name).matches();
  }
}
