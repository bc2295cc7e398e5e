package dev.aigis.model.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.load.Fields;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's own guarantees; what it does for YAML is in PayloadProcessorCompilerTest. */
class ProcessorTypesTest {

  @Test
  void builtInTypesAreKeyedByTypeNameAndByConfigRecord() {
    ProcessorTypes types = ProcessorTypes.BUILT_IN;

    assertThat(types.names()).containsExactly("InProcess", "ExtProcess", "Guardrail", "SemanticRoute", "ResponseCache", "Retrieval");
    assertThat(types.byName("ExtProcess").block()).isEqualTo("extProcess");
    assertThat(types.byName("Wasm")).isNull();
    assertThat(types.of(new ExtProcessSpec("h", 1, false, null))).isSameAs(types.byName("ExtProcess"));
    assertThat(types.of(new InProcessSpec(null, null))).isSameAs(types.byName("InProcess"));
  }

  @Test
  void everyPermittedConfigRecordHasExactlyOneType() {
    List<Class<?>> records = ProcessorTypes.BUILT_IN.all().stream().<Class<?>>map(ProcessorType::configClass).toList();
    assertThat(records).containsExactlyInAnyOrder(ProcessorConfig.class.getPermittedSubclasses());

    assertThatThrownBy(() -> new ProcessorTypes(List.of(new InProcessType())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no processor type reads ExtProcessSpec, GuardrailSpec, SemanticRouteSpec, ResponseCacheSpec, RetrievalSpec");
  }

  @Test
  void namesBlocksAndRecordsMustBeUnique() {
    assertThatThrownBy(() -> new ProcessorTypes(List.of(new InProcessType(), new InProcessType())))
        .hasMessage("processor type InProcess is registered twice");
    assertThatThrownBy(() -> new ProcessorTypes(List.of(new InProcessType(), new ExtProcessType(),
            new Renamed(new ExtProcessType(), "Remote", "extProcess"))))
        .hasMessage("processor type Remote: block key extProcess is already taken");
    assertThatThrownBy(() -> new ProcessorTypes(List.of(new InProcessType(), new ExtProcessType(),
            new Renamed(new ExtProcessType(), "Remote", "timeout"))))
        .hasMessage("processor type Remote: block key timeout is already taken");
    assertThatThrownBy(() -> new ProcessorTypes(List.of(new InProcessType(), new ExtProcessType(),
            new Renamed(new ExtProcessType(), "Remote", "remote"))))
        .hasMessage("processor type Remote: ExtProcessSpec already belongs to ExtProcess");
  }

  @Test
  void validationDispatchesToTheConfigsTypeWithPathsFromTheProcessorEntry() {
    List<String> errors = new ArrayList<>();
    ProcessorTypes.BUILT_IN.validate(new ExtProcessSpec("", 0, false, ExtProcessSpec.ProcessingModeSpec.DEFAULT),
        (field, message) -> errors.add(field + ": " + message));

    assertThat(errors).containsExactly("extProcess.host: must not be empty", "extProcess.port: port 0 is out of range 1..65535");
  }

  /** An existing type under another name and block, to provoke registration conflicts. */
  private record Renamed(ExtProcessType delegate, String name, String block) implements ProcessorType<ExtProcessSpec> {
    @Override
    public Class<ExtProcessSpec> configClass() {
      return delegate.configClass();
    }

    @Override
    public List<String> fields() {
      return delegate.fields();
    }

    @Override
    public ExtProcessSpec read(Fields block) {
      return delegate.read(block);
    }

    @Override
    public void validate(ExtProcessSpec config, Errors errors) {
      delegate.validate(config, errors);
    }
  }
}
