package dev.aigis.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes one streamed completion, one SSE event per write, on the request's event loop.
 *
 * <p>Events: [chat role chunk], one chunk per reply piece (or per tool-call piece), a finish chunk, [usage chunk when the
 * request asked for it], {@code data: [DONE]}. The first content chunk is due {@code ttft} after
 * the headers and chunk k {@code k * interval} later; due times are absolute, so a late timer or a
 * full write queue delays the stream without making it drift. Each step checks the write queue
 * and waits for drain, so a slow reader holds at most one event here.
 *
 * <p>Threading: every method runs on the event loop that owns the request.
 */
final class SseStream {

  private final Scheduler scheduler;
  private final io.vertx.core.http.HttpServerRequest request;
  private final HttpServerResponse response;
  private final Script script;
  private final boolean chat;
  private final byte[] prefix;
  private final byte[] usage;
  /** Called once if the client leaves before the stream ends. */
  private final Runnable cancelled;
  private final LongAdder written;
  private final long start;
  /** Index of the next event; content chunks are [firstContent, firstContent + pieces). */
  private int next;
  private final int firstContent;
  private final int contentEvents;
  private final boolean toolCalls;
  private final int total;
  private boolean finished;
  /** The pending pacing timer, or {@code null}. */
  private Scheduler.Cancellable timer;
  /** Completes when the last event is on the wire; a truncation waits for it. */
  private io.vertx.core.Future<Void> lastWrite = io.vertx.core.Future.succeededFuture();

  SseStream(Scheduler scheduler, io.vertx.core.http.HttpServerRequest request, Script script, boolean chat, byte[] prefix,
      byte[] usage, Runnable cancelled, LongAdder written) {
    this.scheduler = scheduler;
    this.start = scheduler.nanoTime();
    this.request = request;
    this.response = request.response();
    this.script = script;
    this.chat = chat;
    this.prefix = prefix;
    this.usage = usage;
    this.cancelled = cancelled;
    this.written = written;
    this.firstContent = chat ? 1 : 0;
    this.contentEvents = script.contentEvents(chat);
    this.toolCalls = script.toolCalls(chat);
    // content chunks + finish chunk + optional usage chunk + [DONE]
    this.total = firstContent + contentEvents + 1 + (usage != null ? 1 : 0) + 1;
  }

  void start() {
    response.closeHandler(v -> onClientGone());
    response.exceptionHandler(e -> onClientGone());
    // A drain while a pacing timer is pending must not start a second pump: the timer resumes.
    response.drainHandler(v -> {
      if (timer == null) {
        pump();
      }
    });
    pump();
  }

  private void onClientGone() {
    if (!finished) {
      finished = true;
      if (timer != null) {
        timer.cancel();
      }
      cancelled.run(); // last: a test waiting for the count sees the stream fully stopped
    }
  }

  private void pump() {
    while (!finished) {
      if (response.closed()) {
        onClientGone();
        return;
      }
      Behavior.Fault fault = script.behavior.fault();
      if (fault == Behavior.Fault.TRUNCATED_STREAM
          && (next >= script.behavior.truncateAfter() || next == total - 1)) {
        finished = true;
        truncate();
        return;
      }
      if (fault == Behavior.Fault.MALFORMED_STREAM && next == firstContent) {
        finished = true;
        response.write(Buffer.buffer("data: {\"id\":\"broken\",\"choices\":[{\"delta\":\n\n"));
        response.end();
        return;
      }
      if (next == total) {
        finished = true;
        response.end();
        return;
      }
      long wait = dueNanos(next) - scheduler.nanoTime();
      if (wait > 0) {
        timer = scheduler.schedule(Duration.ofNanos(wait), () -> {
          timer = null;
          pump();
        });
        return;
      }
      if (response.writeQueueFull()) {
        return; // the drain handler resumes
      }
      lastWrite = response.write(event(next++));
      written.increment();
    }
  }

  private long dueNanos(int event) {
    int content = Math.clamp(event - firstContent, 0, Math.max(0, contentEvents - 1));
    return start + script.ttftNanos + content * script.intervalNanos;
  }

  private Buffer event(int i) {
    if (i == total - 1) {
      return Buffer.buffer(OpenAiJson.DONE);
    }
    int content = i - firstContent;
    byte[] end = usage != null ? OpenAiJson.CHUNK_END_NULL_USAGE : OpenAiJson.CHUNK_END;
    if (i < firstContent) {
      return chunk(toolCalls ? OpenAiJson.CHAT_TOOL_ROLE_CHOICE : OpenAiJson.CHAT_ROLE_CHOICE,
          null, null, end);
    }
    if (content < contentEvents) {
      if (toolCalls) {
        return chunk(script.toolChoices[content], null, null, end);
      }
      return chat
          ? chunk(OpenAiJson.CHAT_DELTA_START, script.pieces[content], OpenAiJson.CHAT_DELTA_END,
              end)
          : chunk(OpenAiJson.TEXT_DELTA_START, script.pieces[content], OpenAiJson.TEXT_DELTA_END,
              end);
    }
    if (content == contentEvents) {
      byte[] finish = toolCalls ? OpenAiJson.CHAT_TOOL_CALLS_CHOICE
          : chat ? OpenAiJson.CHAT_STOP_CHOICE : OpenAiJson.TEXT_STOP_CHOICE;
      return chunk(finish, null, null, end);
    }
    return chunk(OpenAiJson.USAGE_CHUNK_USAGE, usage, null, OpenAiJson.EVENT_END);
  }

  private Buffer chunk(byte[] a, byte[] b, byte[] c, byte[] d) {
    int size = prefix.length + a.length + (b == null ? 0 : b.length) + (c == null ? 0 : c.length)
        + d.length;
    Buffer out = Buffer.buffer(size).appendBytes(prefix).appendBytes(a);
    if (b != null) {
      out.appendBytes(b);
    }
    if (c != null) {
      out.appendBytes(c);
    }
    return out.appendBytes(d);
  }

  /**
   * Cuts the stream without its end. On HTTP/1.1 the connection is closed after the events already
   * written are flushed (a reset could make the client drop them unread), so the client sees the
   * events and then a chunked body that never ends; on HTTP/2 the stream is reset.
   */
  private void truncate() {
    if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      lastWrite.onComplete(v -> response.reset());
    } else {
      lastWrite.onComplete(v -> request.connection().close());
    }
  }
}
