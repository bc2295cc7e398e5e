package dev.aigis.core.routing.semantic;

/**
 * Where SemanticRoute processors report their decisions (the data plane's metrics). Every argument
 * is a configured name or from a closed set, never client text.
 */
public interface RouteObserver {

  RouteObserver NONE = new RouteObserver() {
    @Override
    public void decided(String policy, String route, String confidence) {}

    @Override
    public void classified(String policy, long nanos) {}
  };

  /**
   * @param route a configured route name, {@code default} or {@code out_of_scope}
   * @param confidence {@code high} or {@code low}
   */
  void decided(String policy, String route, String confidence);

  /** One request classified, its embedding included. */
  void classified(String policy, long nanos);
}
