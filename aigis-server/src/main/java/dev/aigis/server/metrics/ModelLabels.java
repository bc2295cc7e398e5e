package dev.aigis.server.metrics;

import dev.aigis.core.echo.EchoModel;
import dev.aigis.core.exchange.builtin.ModelHeaderStep;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteRule;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.util.HashSet;
import java.util.Set;

/**
 * Which model names may be metric labels: those the configuration declares (an {@code Exact}
 * match on the model header in a route, a backend's {@code modelNameOverride}, the echo model).
 * Any other name a client sends, behind a catch-all or regex route, is {@code other}: a client
 * inventing names must not mint series. The access log keeps the name as sent.
 */
public final class ModelLabels {

  public static final String OTHER = "other";

  private final Set<String> declared;

  private ModelLabels(Set<String> declared) {
    this.declared = Set.copyOf(declared);
  }

  public static ModelLabels of(ConfigSnapshot snapshot) {
    Set<String> declared = new HashSet<>();
    declared.add(EchoModel.MODEL_NAME);
    for (HttpRoute route : snapshot.routes()) {
      for (RouteRule rule : orEmpty(route.rules())) {
        for (RouteMatch match : orEmpty(rule.matches())) {
          for (RouteMatch.HeaderMatch header : orEmpty(match.headers())) {
            if (header.type() == RouteMatch.MatchType.Exact && header.name().equalsIgnoreCase(ModelHeaderStep.MODEL_HEADER)) {
              declared.add(header.value());
            }
          }
        }
      }
    }
    for (ResolvedBackend backend : snapshot.backends().values()) {
      if (backend.backend().modelNameOverride() != null) {
        declared.add(backend.backend().modelNameOverride());
      }
    }
    return new ModelLabels(declared);
  }

  private static <T> java.util.List<T> orEmpty(java.util.List<T> list) {
    return list == null ? java.util.List.of() : list;
  }

  /** The label for a model a request was routed with: itself when declared, "" when none, else {@code other}. */
  public String label(String model) {
    if (model == null || model.isEmpty()) {
      return "";
    }
    return declared.contains(model) ? model : OTHER;
  }
}
