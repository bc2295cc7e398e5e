package dev.aigis.model.snapshot;

/**
 * The HTTP forward proxy an {@link EgressTarget} is reached through, with its credentials read from
 * the Secret. {@link #toString()} names the user but never prints the password.
 *
 * @param username null (with {@code password}) when the proxy asks for no credentials
 */
public record ForwardProxy(String host, int port, String username, String password) {

  /** {@code http://host:port}, for messages and logs: never the credentials. */
  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return "ForwardProxy[" + url() + (username == null ? "" : ", user=" + username + ", password=redacted") + "]";
  }
}
