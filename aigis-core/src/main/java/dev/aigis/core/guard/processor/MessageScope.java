package dev.aigis.core.guard.processor;

import java.util.Set;

/** Which request messages the request-side guards read. */
public enum MessageScope {
  /** Every message a user controls: user turns and tool or function results (indirect injection). */
  USER_AND_TOOLS(Set.of("user", "tool", "function")),
  /** Only the last user turn. */
  LAST_USER(Set.of("user")),
  /** Every message, system, developer and assistant turns included. */
  ALL(Set.of());

  private final Set<String> roles;

  MessageScope(Set<String> roles) {
    this.roles = roles;
  }

  boolean includes(String role) {
    return roles.isEmpty() || roles.contains(role);
  }

  /** From the configuration's spelling ({@code UserAndTools}, {@code LastUser}, {@code All}). */
  public static MessageScope of(String name) {
    return switch (name) {
      case "LastUser" -> LAST_USER;
      case "All" -> ALL;
      default -> USER_AND_TOOLS;
    };
  }
}
