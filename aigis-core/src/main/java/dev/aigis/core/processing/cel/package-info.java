/**
 * The CEL InProcess processor: header and JSON-body mutations whose values are CEL expressions,
 * compiled when configuration loads by {@link dev.aigis.core.processing.cel.CelProcessorFactory}.
 */
package dev.aigis.core.processing.cel;
