package dev.aigis.model.backend;

/**
 * Where the gateway reaches port {@code port} of the Kubernetes Service {@code namespace/name}: by
 * default its cluster DNS name, {@code http://<name>.<namespace>.svc:<port>} (kube-proxy and cluster
 * DNS balance across the pods). A seam, not a policy: a test, or a gateway outside the cluster, gives
 * another address.
 */
@FunctionalInterface
public interface ServiceAddresses {

  /** The Service's cluster DNS name, in plain HTTP. */
  ServiceAddresses CLUSTER_DNS = (namespace, name, port) -> new BackendEndpoint.Url(false, name + "." + namespace + ".svc", port, "");

  BackendEndpoint.Url address(String namespace, String name, int port);
}
