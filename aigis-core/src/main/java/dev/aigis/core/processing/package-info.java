/**
 * The payload processing chain (AI Gateway WG proposal 7): ordered processors that see and change
 * a request before and after routing and its response as it streams back.
 *
 * <p>The same {@link dev.aigis.core.processing.Processor} runs behind every front door: the HTTP
 * data plane, the ext_proc server and tests. A processor never touches a socket; it reads and
 * mutates a {@link dev.aigis.core.processing.ProcessedRequest} or
 * {@link dev.aigis.core.processing.ProcessedResponse} and answers with a
 * {@link dev.aigis.core.processing.Verdict}. {@link dev.aigis.core.processing.ProcessingChain} runs
 * a list of them in order and applies failure modes and timeouts. A
 * {@link dev.aigis.core.processing.ProcessorFactory} per processor type builds processors from their
 * configuration when it loads.
 *
 * <p>Threading: an exchange is processed by one thread at a time. Processors may complete their
 * stages on other threads (a gRPC callback, a worker pool); the chain hops back to the exchange's
 * executor before running the next processor, so processors never race each other.
 */
package dev.aigis.core.processing;
