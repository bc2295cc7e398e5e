package dev.aigis.model;

import dev.aigis.model.backend.XBackendProxy;
import dev.aigis.model.backend.XBackendTls;

/**
 * gateway.networking.x-k8s.io/v1alpha1 XBackend (Gateway API GEP-4894), {@code type: ExternalHostname}
 * only: how the gateway reaches a host outside the cluster as a client. {@code tls} is null when the
 * block is absent, which means {@link XBackendTls.Mode#None}.
 *
 * @param port the destination port ({@code spec.port.port})
 * @param protocol what is offered in ALPN (HTTP2/H2C: h2; HTTP11: http/1.1; HTTP: both)
 * @param hostname {@code spec.externalHostname.hostname}: never an IP address nor a {@code *.cluster.local} name
 * @param proxy {@code spec.proxy}, an Aigis extension: the HTTP forward proxy to connect through, or null to dial directly
 */
public record XBackend(ObjectMeta metadata, SourceRef source, int port, Protocol protocol, String hostname, XBackendTls tls,
    XBackendProxy proxy) implements Resource {

  public static final String API_VERSION = "gateway.networking.x-k8s.io/v1alpha1";
  public static final String GROUP = "gateway.networking.x-k8s.io";
  public static final String KIND = "XBackend";

  /** {@code spec.protocol}, the Core values of GEP-4894. */
  public enum Protocol { HTTP, HTTP2, HTTP11, H2C }

  public XBackend {
    protocol = protocol == null ? Protocol.HTTP : protocol;
  }

  /** An XBackend dialled directly, without a forward proxy. */
  public XBackend(ObjectMeta metadata, SourceRef source, int port, Protocol protocol, String hostname, XBackendTls tls) {
    this(metadata, source, port, protocol, hostname, tls, null);
  }

  public XBackendTls.Mode tlsMode() {
    return tls == null ? XBackendTls.Mode.None : tls.mode();
  }

  @Override
  public String kind() {
    return KIND;
  }
}
