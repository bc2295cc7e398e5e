package dev.aigis.model.processing;

import dev.aigis.model.Names;
import dev.aigis.model.load.Fields;
import dev.aigis.model.load.Range;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code type: SemanticRoute} ({@link SemanticRouteSpec}); docs/semantic-parts/routing.md. Only
 * {@link ProcessorPhase#PreRouting}: it chooses the route, so it must run before one is matched.
 */
final class SemanticRouteType implements ProcessorType<SemanticRouteSpec> {

  /** Declared where read (the CRD schema bounds it) and checked in {@link #validate}. */
  private static final Range THRESHOLD = Range.closed("0", "1");

  static final int MAX_NEIGHBOURS = 100;

  @Override
  public String name() {
    return "SemanticRoute";
  }

  @Override
  public String block() {
    return "semanticRoute";
  }

  @Override
  public Class<SemanticRouteSpec> configClass() {
    return SemanticRouteSpec.class;
  }

  @Override
  public List<String> fields() {
    return List.of("routes", "examplesFile", "outOfScope", "default", "threshold", "neighbours", "header",
        "rewriteModel", "messages");
  }

  @Override
  public List<ProcessorPhase> phases() {
    return List.of(ProcessorPhase.PreRouting);
  }

  @Override
  public SemanticRouteSpec read(Fields block) {
    List<SemanticRouteSpec.Route> routes = block.objects("routes", true,
        List.of("name", "target", "description", "examples", "examplesFile"),
        route -> new SemanticRouteSpec.Route(route.requiredString("name"), route.requiredString("target"),
            route.string("description"), orEmpty(route.strings("examples")), route.string("examplesFile")));
    Fields outOfScope = block.object("outOfScope", "examples", "examplesFile");
    String messages = block.choice("messages", false, SemanticRouteSpec.MESSAGES);
    BigDecimal threshold = block.decimal("threshold", false, THRESHOLD);
    Integer neighbours = block.integer("neighbours");
    String header = block.string("header");
    return new SemanticRouteSpec(
        routes == null ? List.of() : routes,
        block.string("examplesFile"),
        outOfScope == null ? null
            : new SemanticRouteSpec.Examples(orEmpty(outOfScope.strings("examples")), outOfScope.string("examplesFile")),
        block.string("default"),
        threshold == null ? SemanticRouteSpec.DEFAULT_THRESHOLD : threshold,
        neighbours == null ? SemanticRouteSpec.DEFAULT_NEIGHBOURS : neighbours,
        header == null ? SemanticRouteSpec.DEFAULT_HEADER : header,
        block.bool("rewriteModel", false),
        messages == null ? "LastUser" : messages);
  }

  @Override
  public void validate(SemanticRouteSpec spec, Errors errors) {
    String at = block();
    if (spec.routes().isEmpty()) {
      errors.at(at + ".routes", "at least one route is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.routes().size(); i++) {
      SemanticRouteSpec.Route route = spec.routes().get(i);
      String path = at + ".routes[" + i + "]";
      if (route.name() == null || route.name().isBlank()) {
        errors.at(path + ".name", "must not be empty");
      } else if (SemanticRouteSpec.RESERVED_NAMES.contains(route.name())) {
        errors.at(path + ".name", "\"" + route.name() + "\" is reserved (" + String.join(", ",
            SemanticRouteSpec.RESERVED_NAMES) + " name decisions that take no route)");
      } else if (!names.add(route.name())) {
        errors.at(path + ".name", "duplicate route name \"" + route.name() + "\"");
      }
      if (route.target() == null || route.target().isBlank()) {
        errors.at(path + ".target", "must not be empty");
      }
      boolean described = (route.description() != null && !route.description().isBlank())
          || !route.examples().isEmpty() || route.examplesFile() != null || spec.examplesFile() != null;
      if (!described) {
        errors.at(path, "needs at least one of examples, examplesFile or description"
            + " (or a shared semanticRoute.examplesFile)");
      }
      for (int j = 0; j < route.examples().size(); j++) {
        if (route.examples().get(j).isBlank()) {
          errors.at(path + ".examples[" + j + "]", "must not be blank");
        }
      }
    }
    BigDecimal threshold = spec.threshold();
    if (!THRESHOLD.contains(threshold)) {
      errors.at(at + ".threshold", "must be in [0, 1], got " + threshold.toPlainString());
    }
    if (spec.neighbours() < 1 || spec.neighbours() > MAX_NEIGHBOURS) {
      errors.at(at + ".neighbours", "must be 1.." + MAX_NEIGHBOURS + ", got " + spec.neighbours());
    }
    if (!Names.isHeaderName(spec.header())) {
      errors.at(at + ".header", "not a valid header name: \"" + spec.header() + "\"");
    }
    if (spec.defaultTarget() != null && spec.defaultTarget().isBlank()) {
      errors.at(at + ".default", "must not be empty (leave it out to keep the request's own model)");
    }
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
