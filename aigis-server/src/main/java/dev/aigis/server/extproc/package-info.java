/**
 * Aigis as an Envoy ext_proc v3 server: {@link dev.aigis.server.extproc.ExtProcServer} runs a
 * Gateway's payload processing chains behind Envoy's {@code ext_proc} HTTP filter, mapping Envoy's
 * messages onto the same {@link dev.aigis.core.processing.ChainExchange} the data plane uses.
 * Everything else in the package is internal.
 */
package dev.aigis.server.extproc;
