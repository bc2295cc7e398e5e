package dev.aigis.model.processing;

import dev.aigis.model.Names;
import dev.aigis.model.load.Fields;
import dev.aigis.model.processing.ProcessorFieldPaths.Side;
import java.util.List;

/**
 * {@code type: InProcess}: header and JSON-body mutations whose values are CEL expressions
 * ({@link InProcessSpec}). The expressions themselves are compiled by aigis-core's CEL factory,
 * which reports on {@link ProcessorFieldPaths}; this checks everything that is not CEL.
 */
final class InProcessType implements ProcessorType<InProcessSpec> {

  private static final String[] MUTATIONS = {"setHeaders", "removeHeaders", "setBodyFields", "removeBodyFields"};

  @Override
  public String name() {
    return "InProcess";
  }

  @Override
  public String block() {
    return "inProcess";
  }

  @Override
  public Class<InProcessSpec> configClass() {
    return InProcessSpec.class;
  }

  @Override
  public List<String> fields() {
    return List.of("request", "response");
  }

  @Override
  public InProcessSpec read(Fields block) {
    return new InProcessSpec(mutations(block.object("request", MUTATIONS)), mutations(block.object("response", MUTATIONS)));
  }

  /** YAML writes {@code {name, value}} for headers and {@code {path, value}} for body fields. */
  private static InProcessSpec.Mutations mutations(Fields mutations) {
    if (mutations == null) {
      return null;
    }
    return new InProcessSpec.Mutations(
        mutations.objects("setHeaders", false, List.of("name", "value"),
            set -> new InProcessSpec.Assignment(set.requiredString("name"), set.requiredString("value"))),
        mutations.strings("removeHeaders"),
        mutations.objects("setBodyFields", false, List.of("path", "value"),
            set -> new InProcessSpec.Assignment(set.requiredString("path"), set.requiredString("value"))),
        mutations.strings("removeBodyFields"));
  }

  @Override
  public void validate(InProcessSpec spec, Errors errors) {
    int mutations = 0;
    for (Side side : Side.values()) {
      InProcessSpec.Mutations on = ProcessorFieldPaths.of(spec, side);
      if (on == null) {
        continue;
      }
      String path = block() + "." + side.name();
      mutations += on.setHeaders().size() + on.removeHeaders().size() + on.setBodyFields().size()
          + on.removeBodyFields().size();
      for (int j = 0; j < on.setHeaders().size(); j++) {
        headerName(on.setHeaders().get(j).target(), path + ".setHeaders[" + j + "].name", errors);
      }
      for (int j = 0; j < on.removeHeaders().size(); j++) {
        headerName(on.removeHeaders().get(j), path + ".removeHeaders[" + j + "]", errors);
      }
      for (int j = 0; j < on.setBodyFields().size(); j++) {
        jsonPath(on.setBodyFields().get(j).target(), path + ".setBodyFields[" + j + "].path", errors);
      }
      for (int j = 0; j < on.removeBodyFields().size(); j++) {
        jsonPath(on.removeBodyFields().get(j), path + ".removeBodyFields[" + j + "]", errors);
      }
    }
    if (mutations == 0) {
      errors.at(block(), "at least one mutation is required"
          + " (setHeaders, removeHeaders, setBodyFields or removeBodyFields under request or response)");
    }
  }

  private static void headerName(String name, String path, Errors errors) {
    if (!Names.isHeaderName(name)) {
      errors.at(path, "invalid header name \"" + name + "\"");
    }
  }

  private static void jsonPath(String jsonPath, String path, Errors errors) {
    try {
      JsonPaths.parse(jsonPath);
    } catch (IllegalArgumentException e) {
      errors.at(path, e.getMessage());
    }
  }
}
