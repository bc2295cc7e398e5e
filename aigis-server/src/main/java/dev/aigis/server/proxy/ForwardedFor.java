package dev.aigis.server.proxy;

/**
 * The {@code X-Forwarded-For} chain sent upstream. A client can write any chain it likes, so by
 * default ({@code trustedHops} 0) it is replaced by the address the gateway saw the client from.
 * Behind {@code n} trusted proxies, the last {@code n} entries (written by them, the first of those
 * being the client as they saw it) are kept and the peer is appended; entries further left came
 * from the client and are dropped.
 */
record ForwardedFor(int trustedHops) {

  ForwardedFor {
    if (trustedHops < 0) {
      throw new IllegalArgumentException("trustedHops must not be negative, got " + trustedHops);
    }
  }

  /**
   * The client's address as the nearest trusted hop saw it: the peer itself with no trusted hops,
   * else the leftmost of the entries {@link #chain} keeps.
   */
  String client(String received, String peer) {
    String chain = chain(received, peer);
    int comma = chain.indexOf(',');
    return comma < 0 ? chain : chain.substring(0, comma).strip();
  }

  /** @param received the header as received (null when absent); @param peer the connection's remote address */
  String chain(String received, String peer) {
    if (trustedHops == 0 || received == null || received.isBlank()) {
      return peer;
    }
    String[] entries = received.split(",");
    var kept = new StringBuilder();
    int taken = 0;
    for (int i = entries.length - 1; i >= 0 && taken < trustedHops; i--) {
      String entry = entries[i].strip();
      if (entry.isEmpty()) {
        continue;
      }
      kept.insert(0, kept.isEmpty() ? entry : entry + ", ");
      taken++;
    }
    return kept.isEmpty() ? peer : kept + ", " + peer;
  }
}
