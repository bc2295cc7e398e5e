package dev.aigis.testkit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Behavior} compiled once into the bytes and timings the request path needs, so serving
 * a request only concatenates precomputed arrays. Immutable and shared across event loops.
 */
final class Script {

  private static final String[] FILLER = {
    "Hello", "from", "the", "fake", "OpenAI", "upstream", "of", "Aigis."
  };
  private static final String DEFAULT_REPLY = "Hello! I am the fake OpenAI upstream of Aigis.";

  final Behavior behavior;
  /** The reply cut into content chunks, each JSON-escaped without quotes. */
  final byte[][] pieces;
  /** The whole reply, JSON-escaped without quotes. */
  final byte[] reply;
  final int completionTokens;
  /** Body for a scripted status, or {@code null}. */
  final byte[] statusBody;
  final CharSequence[] headerNames;
  final CharSequence[] headerValues;
  final long headerDelayMs;
  final long ttftNanos;
  /** Gap between content chunks; 0 writes them back to back. */
  final long intervalNanos;

  private Script(Behavior b) {
    this.behavior = b;
    List<String> texts = split(b.reply(), b.tokens());
    var encoder = JsonStringEncoder.getInstance();
    this.pieces = texts.stream().map(encoder::quoteAsUTF8).toArray(byte[][]::new);
    this.reply = encoder.quoteAsUTF8(String.join("", texts));
    this.completionTokens = b.completionTokens() >= 0 ? b.completionTokens() : pieces.length;
    this.statusBody = b.status() == 0 ? null
        : utf8(b.body() != null ? b.body() : OpenAiJson.errorForStatus(b.status()));
    this.headerNames = new CharSequence[b.headers().size()];
    this.headerValues = new CharSequence[b.headers().size()];
    int i = 0;
    for (Map.Entry<String, String> h : b.headers().entrySet()) {
      headerNames[i] = HttpHeaders.createOptimized(h.getKey());
      headerValues[i++] = HttpHeaders.createOptimized(h.getValue());
    }
    this.headerDelayMs = b.headerDelay().toMillis();
    this.ttftNanos = b.timeToFirstToken().toNanos();
    this.intervalNanos = b.tokensPerSecond() > 0 ? (long) (1e9 / b.tokensPerSecond()) : 0;
  }

  static Script compile(Behavior b) {
    return new Script(b);
  }

  /** Time a non-streamed answer takes to "generate": the stream's pacing, all at once. */
  long generationNanos() {
    return ttftNanos + intervalNanos * Math.max(0, pieces.length - 1);
  }

  /**
   * Pieces of the reply: a given reply is cut per word, or into {@code tokens} similar pieces;
   * without a reply, {@code tokens} filler words (or a default sentence).
   */
  static List<String> split(String reply, int tokens) {
    List<String> out = new ArrayList<>();
    if (reply == null && tokens > 0) {
      for (int i = 0; i < tokens; i++) {
        out.add((i == 0 ? "" : " ") + FILLER[i % FILLER.length]);
      }
      return out;
    }
    String text = reply != null ? reply : DEFAULT_REPLY;
    if (tokens == 0) {
      // One piece per word, the space before a word going with it, as tokenizers do.
      int start = 0;
      for (int i = 1; i < text.length(); i++) {
        if (text.charAt(i) == ' ' && text.charAt(i - 1) != ' ') {
          out.add(text.substring(start, i));
          start = i;
        }
      }
      out.add(text.substring(start));
      return out;
    }
    int codePoints = text.codePointCount(0, text.length());
    int n = Math.min(tokens, codePoints);
    int from = 0;
    for (int k = 1; k <= n; k++) {
      int to = text.offsetByCodePoints(0, (int) ((long) codePoints * k / n));
      out.add(text.substring(from, to));
      from = to;
    }
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
