package dev.aigis.bench.soak;

/**
 * What the client got: the response status (0 without a response head) and how the answer ended.
 */
record Outcome(int status, Ending ending) {

  static Outcome noResponse() {
    return new Outcome(0, Ending.NO_RESPONSE);
  }

  /** {@code 200 complete}, {@code 200 error event}, {@code no response}. */
  String label() {
    return status == 0 ? ending.label() : status + " " + ending.label();
  }
}
