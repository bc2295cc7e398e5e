package dev.aigis.core.processing;

/**
 * What a processor asks the data plane for. The data plane buffers a request body only when some
 * processor asks for it, and parses response events only when some processor wants them.
 *
 * @param requestHeaders whether {@link Processor#onRequestHeaders} should be called
 * @param requestBody how the request body is delivered to {@link Processor#onRequestBody}
 * @param responseHeaders whether {@link Processor#onResponseHeaders} should be called
 * @param responseBody how the response body is delivered: {@code STREAMED} gives each SSE event
 *     (or raw chunk for non-SSE bodies) to {@link Processor#onResponseChunk}; {@code BUFFERED}
 *     gives the whole body as one chunk with {@code endOfStream}
 * @param holdBackEvents the most response events this processor may hold back at once (for
 *     detectors that need context across chunk boundaries); 0 means it never holds events
 */
public record ProcessorNeeds(
    boolean requestHeaders, BodyMode requestBody, boolean responseHeaders, BodyMode responseBody, int holdBackEvents) {

  public static final ProcessorNeeds REQUEST_HEADERS_ONLY = new ProcessorNeeds(true, BodyMode.NONE, false, BodyMode.NONE, 0);
}
