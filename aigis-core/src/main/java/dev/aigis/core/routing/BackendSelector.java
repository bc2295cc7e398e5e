package dev.aigis.core.routing;

import dev.aigis.model.route.BackendRef;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Weighted choice among a rule's backendRefs. Built once per configuration; {@link #pick} is
 * O(log n), allocation-free and safe to call from any thread (all state is immutable; the caller
 * owns the {@link RandomGenerator}).
 *
 * <p>Gateway API requires that traffic for an invalid backendRef fail with 500 rather than move to
 * another backend, so an unresolved ref keeps its share of the weight and {@link #pick} returns
 * empty for that share.
 *
 * <p>With {@code priority} on the refs, {@link #pick(RandomGenerator)} splits by weight inside the
 * lowest priority only; {@link #pick(RandomGenerator, Predicate)} (failover, or a backend ejected by
 * its circuit breaker) moves to the next priority once the lower ones have no usable backend left.
 */
public final class BackendSelector {

  private final List<WeightedBackend> all;
  /** cumulative[i] = sum of weights of positive-weight entries 0..i; a binary search maps a draw to an entry. */
  private final long[] cumulative;
  /** The answer for each positive-weight entry, built once so picking allocates nothing. */
  private final List<Optional<WeightedBackend>> answers;
  private final long total;
  private final boolean noUsableBackend;

  private BackendSelector(List<WeightedBackend> all) {
    this.all = List.copyOf(all);
    int lowest = this.all.stream().filter(b -> b.weight() > 0).mapToInt(WeightedBackend::priority).min().orElse(0);
    List<WeightedBackend> positive = this.all.stream().filter(b -> b.weight() > 0 && b.priority() == lowest).toList();
    this.cumulative = new long[positive.size()];
    List<Optional<WeightedBackend>> answers = new ArrayList<>(positive.size());
    long sum = 0;
    for (int i = 0; i < positive.size(); i++) {
      WeightedBackend b = positive.get(i);
      sum += b.weight();
      cumulative[i] = sum;
      answers.add(b.resolved() ? Optional.of(b) : Optional.empty());
    }
    this.answers = List.copyOf(answers);
    this.total = sum;
    this.noUsableBackend = this.all.stream().noneMatch(b -> b.weight() > 0 && b.resolved());
  }

  static BackendSelector of(List<WeightedBackend> backends) {
    return new BackendSelector(backends);
  }

  /**
   * Resolves each ref against {@code backends} (keyed as {@link BackendRef#key} says: an AIBackend
   * {@code namespace/name}, an XBackend named directly {@code namespace/xbackend/name}); a ref without
   * a namespace means the route's namespace. A ref to any other group or kind never resolves.
   */
  static BackendSelector resolve(List<BackendRef> refs, String routeNamespace, Map<String, ResolvedBackend> backends) {
    List<WeightedBackend> resolved = new ArrayList<>(refs.size());
    for (BackendRef ref : refs) {
      resolved.add(new WeightedBackend(ref, lookup(ref, routeNamespace, backends), Math.max(0, ref.effectiveWeight())));
    }
    return new BackendSelector(resolved);
  }

  private static ResolvedBackend lookup(BackendRef ref, String routeNamespace, Map<String, ResolvedBackend> backends) {
    String key = ref.key(routeNamespace);
    return key == null ? null : backends.get(key);
  }

  /**
   * A backend chosen in proportion to weight, or empty when the request must fail with 500: no
   * positive weight, or the chosen ref did not resolve.
   */
  public Optional<WeightedBackend> pick(RandomGenerator random) {
    if (total == 0) {
      return Optional.empty();
    }
    long draw = random.nextLong(total);
    int found = Arrays.binarySearch(cumulative, draw);
    // draw == cumulative[i] belongs to entry i + 1; otherwise the insertion point is the entry.
    int index = found >= 0 ? found + 1 : -found - 1;
    return answers.get(index);
  }

  /**
   * A resolved, positive-weight backend that {@code usable} accepts, chosen by weight inside the
   * lowest priority that has one; empty when none is left. O(n) with no allocation beyond the
   * answer: rules have a handful of refs.
   */
  public Optional<WeightedBackend> pick(RandomGenerator random, Predicate<WeightedBackend> usable) {
    int priority = Integer.MIN_VALUE;
    while (true) {
      int next = Integer.MAX_VALUE;
      long weights = 0;
      for (WeightedBackend b : all) {
        if (b.weight() > 0 && b.resolved() && b.priority() > priority && b.priority() <= next && usable.test(b)) {
          if (b.priority() < next) {
            next = b.priority();
            weights = 0;
          }
          weights += b.weight();
        }
      }
      if (weights == 0) {
        return Optional.empty();
      }
      long draw = random.nextLong(weights);
      for (WeightedBackend b : all) {
        if (b.weight() > 0 && b.resolved() && b.priority() == next && usable.test(b)) {
          draw -= b.weight();
          if (draw < 0) {
            return Optional.of(b);
          }
        }
      }
      priority = next; // usable changed its mind between the two passes: try the next priority
    }
  }

  /** Every backendRef in rule order, including zero-weight and unresolved ones. */
  public List<WeightedBackend> all() {
    return all;
  }

  /** True when no positive-weight ref resolved: every request for this rule gets a 500. */
  public boolean hasNoUsableBackend() {
    return noUsableBackend;
  }

  @Override
  public String toString() {
    return "BackendSelector" + all;
  }
}
