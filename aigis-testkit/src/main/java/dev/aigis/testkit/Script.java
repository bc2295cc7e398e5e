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

  /** Pieces a tool call's arguments are streamed in. */
  static final int ARGUMENT_PIECES = 3;
  private static final String TOOL_DELTA_START =
      "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":";
  private static final String TOOL_DELTA_END =
      "}}]},\"logprobs\":null,\"finish_reason\":null}";

  final Behavior behavior;
  /** The reply cut into content chunks, each JSON-escaped without quotes. */
  final byte[][] pieces;
  /** The whole reply, JSON-escaped without quotes. */
  final byte[] reply;
  /** Body for a scripted status, or {@code null}. */
  final byte[] statusBody;
  final CharSequence[] headerNames;
  final CharSequence[] headerValues;
  final long headerDelayNanos;
  final long ttftNanos;
  /** Gap between content chunks; 0 writes them back to back. */
  final long intervalNanos;
  /** {@code [{"id":…,"type":"function","function":{…}},…]}, or {@code null} without tool calls. */
  final byte[] toolCallsJson;
  /** The streamed tool calls: one whole choice object per content event, or {@code null}. */
  final byte[][] toolChoices;

  private Script(Behavior b) {
    this.behavior = b;
    List<String> texts = split(b.reply(), b.tokens());
    var encoder = JsonStringEncoder.getInstance();
    this.pieces = texts.stream().map(encoder::quoteAsUTF8).toArray(byte[][]::new);
    this.reply = encoder.quoteAsUTF8(String.join("", texts));
    if (b.toolCalls().isEmpty()) {
      this.toolCallsJson = null;
      this.toolChoices = null;
    } else {
      this.toolCallsJson = toolCallsJson(b.toolCalls());
      this.toolChoices = toolChoices(b.toolCalls());
    }
    this.statusBody = b.status() == 0 ? null
        : utf8(b.body() != null ? b.body() : OpenAiJson.errorForStatus(b.status()));
    this.headerNames = new CharSequence[b.headers().size()];
    this.headerValues = new CharSequence[b.headers().size()];
    int i = 0;
    for (Map.Entry<String, String> h : b.headers().entrySet()) {
      headerNames[i] = HttpHeaders.createOptimized(h.getKey());
      headerValues[i++] = HttpHeaders.createOptimized(h.getValue());
    }
    this.headerDelayNanos = b.headerDelay().toNanos();
    this.ttftNanos = b.timeToFirstToken().toNanos();
    this.intervalNanos = b.tokensPerSecond() > 0 ? (long) (1e9 / b.tokensPerSecond()) : 0;
  }

  static Script compile(Behavior b) {
    return new Script(b);
  }

  /** Whether a chat answer carries tool calls instead of text. */
  boolean toolCalls(boolean chat) {
    return chat && toolChoices != null;
  }

  /** Content events of a stream: reply pieces, or tool-call chunks for a chat with tool calls. */
  int contentEvents(boolean chat) {
    return toolCalls(chat) ? toolChoices.length : pieces.length;
  }

  /** Reported completion tokens: the scripted count, else one per content event. */
  int completionTokens(boolean chat) {
    return behavior.completionTokens() >= 0 ? behavior.completionTokens() : contentEvents(chat);
  }

  /** Time a non-streamed answer takes to "generate": the stream's pacing, all at once. */
  long generationNanos(boolean chat) {
    return ttftNanos + intervalNanos * Math.max(0, contentEvents(chat) - 1);
  }

  private static byte[] toolCallsJson(List<Behavior.ToolCall> calls) {
    var out = new StringBuilder("[");
    for (Behavior.ToolCall c : calls) {
      out.append(out.length() == 1 ? "" : ",")
          .append("{\"id\":\"").append(quote(c.id()))
          .append("\",\"type\":\"function\",\"function\":{\"name\":\"").append(quote(c.name()))
          .append("\",\"arguments\":\"").append(quote(c.argumentsJson())).append("\"}}");
    }
    return utf8(out.append(']').toString());
  }

  /**
   * Per call, as OpenAI streams it: a chunk naming the call (empty arguments), then the arguments
   * in up to {@link #ARGUMENT_PIECES} pieces.
   */
  private static byte[][] toolChoices(List<Behavior.ToolCall> calls) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      Behavior.ToolCall c = calls.get(i);
      out.add(utf8(TOOL_DELTA_START + i + ",\"id\":\"" + quote(c.id())
          + "\",\"type\":\"function\",\"function\":{\"name\":\"" + quote(c.name())
          + "\",\"arguments\":\"\"" + TOOL_DELTA_END));
      for (String piece : split(c.argumentsJson(), ARGUMENT_PIECES)) {
        out.add(utf8(TOOL_DELTA_START + i + ",\"function\":{\"arguments\":\"" + quote(piece)
            + "\"" + TOOL_DELTA_END));
      }
    }
    return out.toArray(byte[][]::new);
  }

  private static String quote(String s) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(s));
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
