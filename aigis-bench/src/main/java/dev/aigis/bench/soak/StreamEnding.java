package dev.aigis.bench.soak;

/**
 * How a 200 answer ended, read from the bytes the client received. A stream is complete only when
 * its closing event arrived and the response ended cleanly; an error event wins over everything,
 * since the gateway sends it exactly when a stream fails after its head.
 */
final class StreamEnding {

  private StreamEnding() {}

  /**
   * @param body the stream as received (SSE text)
   * @param endedCleanly whether the response ended without a transport error
   */
  static Ending ofStream(ClientApi api, String body, boolean endedCleanly) {
    if (hasLine(body, api.errorEvent())) {
      return Ending.ERROR_EVENT;
    }
    return endedCleanly && hasLine(body, api.streamEnd()) ? Ending.COMPLETE : Ending.CUT;
  }

  /** A plain answer: complete when its body arrived whole. */
  static Ending ofBody(boolean endedCleanly) {
    return endedCleanly ? Ending.COMPLETE : Ending.CUT;
  }

  private static boolean hasLine(String body, String start) {
    return body.startsWith(start) || body.contains("\n" + start);
  }
}
