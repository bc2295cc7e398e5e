package dev.aigis.core.routing;

import dev.aigis.model.route.BackendRef;
import dev.aigis.model.snapshot.ResolvedBackend;

/**
 * One backendRef of a rule with what it resolved to.
 *
 * @param backend null when the ref names no known AIBackend or XBackend; requests picked for it must get a 500
 * @param weight the ref's weight, never negative; 0 means never picked
 */
public record WeightedBackend(BackendRef ref, ResolvedBackend backend, int weight) {

  /** The ref's failover priority: lower is tried first (default 0). */
  public int priority() {
    return ref.effectivePriority();
  }

  public boolean resolved() {
    return backend != null;
  }
}
