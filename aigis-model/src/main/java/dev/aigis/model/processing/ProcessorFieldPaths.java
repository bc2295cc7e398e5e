package dev.aigis.model.processing;

/**
 * Field paths inside a PayloadProcessor, as {@link dev.aigis.model.ConfigError} and
 * {@link dev.aigis.model.SourceRef#lineOf} use them. Whoever compiles the CEL expressions reports
 * their errors on these paths, e.g.
 * {@code ConfigError.at(processor, ProcessorFieldPaths.setHeaderValue(0, Side.request, 1), "…")}
 * for {@code spec.processors[0].inProcess.request.setHeaders[1].value}.
 */
public final class ProcessorFieldPaths {

  /** Which {@link InProcessSpec.Mutations} of an InProcess spec; the names are the YAML keys. */
  public enum Side { request, response }

  private ProcessorFieldPaths() {}

  /** {@code spec.processors[i]} */
  public static String processor(int processor) {
    return "spec.processors[" + processor + "]";
  }

  /** {@code spec.processors[i].inProcess.request} or {@code ….response} */
  public static String mutations(int processor, Side side) {
    return processor(processor) + ".inProcess." + side.name();
  }

  /** {@code spec.processors[i].inProcess.<side>.setHeaders[j].value}: a CEL expression. */
  public static String setHeaderValue(int processor, Side side, int entry) {
    return mutations(processor, side) + ".setHeaders[" + entry + "].value";
  }

  /** {@code spec.processors[i].inProcess.<side>.setBodyFields[j].value}: a CEL expression. */
  public static String setBodyFieldValue(int processor, Side side, int entry) {
    return mutations(processor, side) + ".setBodyFields[" + entry + "].value";
  }

  /** The mutations of {@code spec} on {@code side}, or null when that side is absent. */
  public static InProcessSpec.Mutations of(InProcessSpec spec, Side side) {
    return side == Side.request ? spec.request() : spec.response();
  }
}
