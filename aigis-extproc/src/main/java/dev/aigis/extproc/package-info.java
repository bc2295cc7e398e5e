/**
 * Processors backed by an external Envoy ext_proc v3 gRPC server ({@code type: ExtProcess}).
 *
 * <p>{@link dev.aigis.extproc.ExtProcProcessor} adapts one ext_proc endpoint to the
 * {@link dev.aigis.core.processing.Processor} stages; {@link dev.aigis.extproc.ExtProcChannels}
 * owns the gRPC channels, one per endpoint, shared by every processor and exchange that uses it;
 * {@link dev.aigis.extproc.ExtProcProcessorFactory} is the type's
 * {@link dev.aigis.core.processing.ProcessorFactory}. Everything else in the package is internal.
 */
package dev.aigis.extproc;
