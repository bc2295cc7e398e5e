package dev.aigis.server.egress;

import dev.aigis.model.snapshot.ForwardProxy;
import io.netty.handler.proxy.ProxyConnectException;
import java.net.ConnectException;

/**
 * Says why a connection through an XBackend's forward proxy failed, in words fit for a client: the
 * proxy's URL and its answer's status line, never the credentials (Netty's message does not carry
 * them either, but it is not echoed: only the status line after {@code "status: "} is kept).
 */
public final class ProxyFailures {

  private ProxyFailures() {}

  /** What went wrong with {@code proxy} in {@code cause}, or null when the failure is not the proxy's. */
  public static String describe(Throwable cause, ForwardProxy proxy) {
    if (proxy == null) {
      return null;
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ProxyConnectException refused) {
        return "forward proxy " + proxy.url() + " " + refusal(refused.getMessage());
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        // Only the proxy is dialled: the proxy itself reports a target it cannot reach with a status.
        return "forward proxy " + proxy.url() + " is unreachable";
      }
    }
    return null;
  }

  private static String refusal(String message) {
    String text = message == null ? "" : message;
    int status = text.indexOf("status: ");
    if (status >= 0) {
      String line = text.substring(status + "status: ".length()).strip();
      return "refused the CONNECT tunnel: " + (line.length() > 80 ? line.substring(0, 80) : line);
    }
    if (text.endsWith("timeout")) {
      return "did not answer the CONNECT in time";
    }
    return "failed the CONNECT tunnel";
  }
}
