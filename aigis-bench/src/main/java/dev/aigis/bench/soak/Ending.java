package dev.aigis.bench.soak;

/** How an answer ended, as the client saw it. */
enum Ending {
  /** A plain body received whole, or a stream up to its closing event. */
  COMPLETE("complete"),
  /** A stream that ended with an error event after its 200 head. */
  ERROR_EVENT("error event"),
  /** A head, then a body that stopped without closing or error event. */
  CUT("cut"),
  /** The driver closed the connection on purpose, mid-stream. */
  CLIENT_ABORT("closed by client"),
  /** No response head: the connection was refused, reset or timed out first. */
  NO_RESPONSE("no response");

  private final String label;

  Ending(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
