package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.Resource;
import dev.aigis.model.processing.TargetRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which PayloadProcessor applies when several target the same Gateway or HTTPRoute in the
 * same phase: the oldest by {@code creationTimestamp} (none counts as newer than any), then the first
 * by {@code namespace/name}, then by load order, as Gateway API breaks policy ties. The others are left
 * out of the snapshot with a warning rather than an error, so that a second processor applied to a
 * busy Gateway cannot take the whole configuration down.
 */
final class ProcessorConflicts {

  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private static final Comparator<PayloadProcessor> OLDER_FIRST = olderFirst();

  /** Loser → "conflicts with PayloadProcessor ns/winner on Kind ns/name (Phase)". */
  private final Map<PayloadProcessor, String> losers = new IdentityHashMap<>();
  private final List<ConfigError> warnings = new ArrayList<>();

  /** @param resources in load order, without duplicates */
  ProcessorConflicts(Iterable<Resource> resources) {
    Map<String, List<PayloadProcessor>> byTarget = new LinkedHashMap<>();
    for (Resource resource : resources) {
      if (resource instanceof PayloadProcessor processor && attaches(processor)) {
        byTarget.computeIfAbsent(targetKey(processor), key -> new ArrayList<>()).add(processor);
      }
    }
    for (List<PayloadProcessor> contenders : byTarget.values()) {
      contenders.sort(OLDER_FIRST); // stable: load order breaks the remaining ties
      PayloadProcessor winner = contenders.getFirst();
      TargetRef target = winner.targetRef();
      for (PayloadProcessor loser : contenders.subList(1, contenders.size())) {
        losers.put(loser, "conflicts with PayloadProcessor " + winner.metadata().qualifiedName() + " on " + target.kind() + " "
            + winner.metadata().namespace() + "/" + target.name() + " (" + winner.phase() + ")");
      }
    }
    for (Resource resource : resources) {
      if (resource instanceof PayloadProcessor processor && losers.containsKey(processor)) {
        warnings.add(ConfigError.at(processor, "spec.targetRef", losers.get(processor) + "; the older one applies"));
      }
    }
  }

  /**
   * Gateway API's precedence among policies on one target: the oldest {@code creationTimestamp} (none
   * counts as newer than any), then {@code namespace/name}. A stable sort leaves load order to break
   * what remains. Shared with {@link PolicyConflicts}.
   */
  static <T extends Resource> Comparator<T> olderFirst() {
    return Comparator
        .comparing((T r) -> r.metadata().creationTimestamp(), Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
        .thenComparing(r -> r.metadata().qualifiedName());
  }

  /** Whether {@code processor} lost a conflict and stays out of the snapshot. */
  boolean leftOut(PayloadProcessor processor) {
    return losers.containsKey(processor);
  }

  /** Why {@code processor} is left out, or null when it is not. */
  String reason(PayloadProcessor processor) {
    return losers.get(processor);
  }

  /** One per loser, in load order. */
  List<ConfigError> warnings() {
    return warnings;
  }

  /** Only a well-formed attachment can conflict; a malformed one is an error of its own. */
  private static boolean attaches(PayloadProcessor processor) {
    TargetRef target = processor.targetRef();
    return target != null && processor.phase() != null && target.name() != null
        && Objects.requireNonNullElse(target.group(), GATEWAY_GROUP).equals(GATEWAY_GROUP)
        && (Gateway.KIND.equals(target.kind()) || HttpRoute.KIND.equals(target.kind()));
  }

  private static String targetKey(PayloadProcessor processor) {
    return processor.targetRef().kind() + "/" + processor.metadata().namespace() + "/" + processor.targetRef().name()
        + "/" + processor.phase();
  }
}
