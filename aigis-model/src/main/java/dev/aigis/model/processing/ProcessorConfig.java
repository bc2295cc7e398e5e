package dev.aigis.model.processing;

/**
 * The type-specific settings of one processor entry: the block its {@code type} selects
 * ({@code inProcess}, {@code extProcess}, ...), one record per processor type.
 *
 * <p>Sealed so the set of types is closed and checked: {@link ProcessorTypes} (reading and
 * validation) and the data plane's factory registry (compilation) each refuse to start unless they
 * cover every permitted record, so a new record that is not registered fails the first test that
 * loads a configuration. Java requires a sealed interface's permitted classes to share its package
 * when the code is not in a named module (Aigis is not), so every config record lives here.
 */
public sealed interface ProcessorConfig permits InProcessSpec, ExtProcessSpec, GuardrailSpec, SemanticRouteSpec,
    ResponseCacheSpec,
    RetrievalSpec {}
