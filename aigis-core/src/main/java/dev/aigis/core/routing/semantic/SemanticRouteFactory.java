package dev.aigis.core.routing.semantic;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.SemanticRouteSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiles a {@code type: SemanticRoute} entry: reads its example files (a bad line is refused with
 * the file and its number), checks that every route ends up with examples, and builds the router on
 * the process's shared {@link SemanticRouteRuntime}, embedding the examples now: compiling runs at
 * configuration load, off the event loops, where blocking is fine.
 */
public final class SemanticRouteFactory implements ProcessorFactory<SemanticRouteSpec> {

  private final SemanticRouteRuntime runtime;

  public SemanticRouteFactory(SemanticRouteRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Processor compile(SemanticRouteSpec spec, Entry entry) {
    String policy = entry.chain().isEmpty() ? entry.name() : entry.chain() + "/" + entry.name();
    RouteExamples examples = examples(spec, entry);
    if (examples == null) {
      return null;
    }
    int neighbours = spec.neighbours();
    double threshold = spec.threshold().doubleValue();
    Supplier<SemanticRouter> router;
    if (runtime.live()) {
      try {
        SemanticRouter built = runtime.router(examples, neighbours, threshold, spec.defaultTarget());
        router = () -> built;
      } catch (RuntimeException e) {
        entry.error("semanticRoute", "the examples could not be embedded: " + e.getMessage());
        return null;
      }
    } else {
      router = new Supplier<>() { // built on the first request's worker, then kept
        private volatile SemanticRouter built;

        @Override
        public SemanticRouter get() {
          SemanticRouter current = built;
          if (current == null) {
            current = runtime.router(examples, neighbours, threshold, spec.defaultTarget());
            built = current;
          }
          return current;
        }
      };
    }
    return new SemanticRouteProcessor(policy, router, text -> runtime.embeddings().embed(text),
        new SemanticRouteProcessor.Settings(spec.header(), spec.rewriteModel(), spec.messages().equals("AllUser")),
        runtime.observer(), System::nanoTime);
  }

  /**
   * Every route's examples from inline lists, descriptions and files, as a configuration gives them
   * (also what {@code aigis route eval} learns from); null after reporting through {@code entry}.
   */
  public static RouteExamples examples(SemanticRouteSpec spec, Entry entry) {
    Map<String, List<String>> texts = new LinkedHashMap<>();
    spec.routes().forEach(route -> texts.put(route.name(), new ArrayList<>()));
    List<String> outOfScope = new ArrayList<>();
    boolean valid = true;
    if (spec.examplesFile() != null) {
      try {
        for (ExampleFiles.Row row : ExampleFiles.read(resolve(spec.examplesFile(), entry))) {
          if (SemanticRouteSpec.OUT_OF_SCOPE.equals(row.route())) {
            outOfScope.add(row.text());
          } else if (row.route() != null && texts.containsKey(row.route())) {
            texts.get(row.route()).add(row.text());
          } else {
            entry.error("semanticRoute.examplesFile", spec.examplesFile() + " line " + row.line() + ": "
                + (row.route() == null ? "needs a \"route\" (a route name or " + SemanticRouteSpec.OUT_OF_SCOPE + ")"
                    : "route \"" + row.route() + "\" is not one of the configured routes"));
            return null;
          }
        }
      } catch (ExampleFiles.BadExamples e) {
        entry.error("semanticRoute.examplesFile", e.getMessage());
        valid = false;
      }
    }
    for (int i = 0; i < spec.routes().size(); i++) {
      SemanticRouteSpec.Route route = spec.routes().get(i);
      List<String> mine = texts.get(route.name());
      if (route.description() != null && !route.description().isBlank()) {
        mine.add(route.description());
      }
      mine.addAll(route.examples());
      if (route.examplesFile() != null) {
        try {
          for (ExampleFiles.Row row : ExampleFiles.read(resolve(route.examplesFile(), entry))) {
            if (row.route() == null || row.route().equals(route.name())) {
              mine.add(row.text()); // a row naming another route belongs to that route: one file can serve several
            }
          }
        } catch (ExampleFiles.BadExamples e) {
          entry.error("semanticRoute.routes[" + i + "].examplesFile", e.getMessage());
          valid = false;
          continue;
        }
      }
      if (mine.isEmpty()) {
        entry.error("semanticRoute.routes[" + i + "]", "route \"" + route.name() + "\" has no examples");
        valid = false;
      }
    }
    if (spec.outOfScope() != null) {
      outOfScope.addAll(spec.outOfScope().examples());
      if (spec.outOfScope().examplesFile() != null) {
        try {
          ExampleFiles.read(resolve(spec.outOfScope().examplesFile(), entry)).forEach(row -> outOfScope.add(row.text()));
        } catch (ExampleFiles.BadExamples e) {
          entry.error("semanticRoute.outOfScope.examplesFile", e.getMessage());
          valid = false;
        }
      }
    }
    if (!valid) {
      return null;
    }
    List<RouteExamples.Route> routes = new ArrayList<>();
    for (SemanticRouteSpec.Route route : spec.routes()) {
      routes.add(new RouteExamples.Route(route.name(), route.target(), texts.get(route.name())));
    }
    return new RouteExamples(routes, outOfScope);
  }

  private static Path resolve(String file, Entry entry) {
    Path path = Path.of(file);
    return path.isAbsolute() || entry.directory() == null ? path : entry.directory().resolve(path);
  }
}
