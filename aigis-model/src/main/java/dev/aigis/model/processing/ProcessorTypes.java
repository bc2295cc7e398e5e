package dev.aigis.model.processing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The processor types a PayloadProcessor entry may name, keyed by their {@code type} value.
 * {@link #BUILT_IN} is the one place a type is registered on the model side; the reader, the
 * validator and error messages ("must be one of ...") take everything from here. Immutable.
 */
public final class ProcessorTypes {

  /** Keys of a processor entry that every type shares; a type's block may not reuse them. */
  public static final List<String> COMMON_FIELDS = List.of("name", "type", "failureMode", "timeout");

  /** Every built-in type, in the order error messages list them. */
  public static final ProcessorTypes BUILT_IN = new ProcessorTypes(List.of(new InProcessType(), new ExtProcessType(), new GuardrailType(),
      new SemanticRouteType(), new ResponseCacheType(), new RetrievalType()));

  private final List<ProcessorType<?>> all;
  private final List<String> names;
  private final Map<String, ProcessorType<?>> byName;
  private final Map<Class<?>, ProcessorType<?>> byConfig;

  /**
   * @throws IllegalArgumentException when two types share a name, a block or a config record, when
   *     a block reuses a common key, or when a permitted {@link ProcessorConfig} record has no type
   */
  ProcessorTypes(List<? extends ProcessorType<?>> types) {
    Map<String, ProcessorType<?>> byName = new LinkedHashMap<>();
    Map<Class<?>, ProcessorType<?>> byConfig = new LinkedHashMap<>();
    Set<String> blocks = new HashSet<>(COMMON_FIELDS);
    for (ProcessorType<?> type : types) {
      Objects.requireNonNull(type.name(), "type name");
      if (byName.putIfAbsent(type.name(), type) != null) {
        throw new IllegalArgumentException("processor type " + type.name() + " is registered twice");
      }
      if (!blocks.add(type.block())) {
        throw new IllegalArgumentException("processor type " + type.name() + ": block key " + type.block()
            + " is already taken");
      }
      if (byConfig.putIfAbsent(type.configClass(), type) != null) {
        throw new IllegalArgumentException("processor type " + type.name() + ": "
            + type.configClass().getSimpleName() + " already belongs to " + byConfig.get(type.configClass()).name());
      }
    }
    List<String> missing = new ArrayList<>();
    for (Class<?> permitted : ProcessorConfig.class.getPermittedSubclasses()) {
      if (!byConfig.containsKey(permitted)) {
        missing.add(permitted.getSimpleName());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no processor type reads " + String.join(", ", missing));
    }
    this.all = List.copyOf(byName.values());
    this.names = List.copyOf(byName.keySet());
    this.byName = Map.copyOf(byName);
    this.byConfig = Map.copyOf(byConfig);
  }

  /** In registration order. */
  public List<ProcessorType<?>> all() {
    return all;
  }

  /** The {@code type} values, in registration order. */
  public List<String> names() {
    return names;
  }

  /** The type selected by {@code type: name}, or null when there is none. */
  public ProcessorType<?> byName(String name) {
    return byName.get(name);
  }

  /** The type {@code config} belongs to; every permitted record has one. */
  public ProcessorType<?> of(ProcessorConfig config) {
    return byConfig.get(config.getClass());
  }

  /** {@link ProcessorType#validate} of the config's own type. */
  public void validate(ProcessorConfig config, ProcessorType.Errors errors) {
    validate(of(config), config, errors);
  }

  private static <C extends ProcessorConfig> void validate(ProcessorType<C> type, ProcessorConfig config,
      ProcessorType.Errors errors) {
    type.validate(type.configClass().cast(config), errors);
  }
}
