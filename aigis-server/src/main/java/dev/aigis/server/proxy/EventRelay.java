package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.backend.BackendAdapter;
import dev.aigis.core.backend.ResponseDecoder;
import dev.aigis.core.backend.ResponseDecoders;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.provider.TranslationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import dev.aigis.core.usage.UsageTail;

/**
 * Relays one upstream answer to the client, for every adapter: the adapter's decoder turns the
 * upstream bytes into events (or body chunks) in the client's format, and the {@link
 * ResponseWriter} writes them, through the response processors when some look, with backpressure
 * back to the upstream. Errors the upstream reports are translated into the client's format or,
 * when they already are in it, passed on.
 */
final class EventRelay {

  /** Bounds an answer read whole (for translation of errors, or for processors that need it whole). */
  static final int MAX_WHOLE_BYTES = 8 * 1024 * 1024;

  private final ExchangeCompletion completion;
  private final ResponseHead head;
  private final dev.aigis.core.processing.Scheduler timers;

  EventRelay(ExchangeCompletion completion, ResponseHead head, dev.aigis.core.processing.Scheduler timers) {
    this.completion = completion;
    this.head = head;
    this.timers = timers;
  }

  /**
   * The backend's {@code idle} timeout as the time allowed between two complete events of a stream.
   * The connection's own idle timeout restarts on every byte, so a stream that trickles bytes
   * without ever completing an event would hold the client forever; this one restarts only when an
   * event is whole. When it fires, the client gets an error event and the upstream is reset.
   */
  private final class EventIdle {
    private final Exchange exchange;
    private final java.time.Duration limit;
    /** The upstream's event loop: the handler that relays the events runs there, and so does expiry. */
    private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    private dev.aigis.core.processing.Scheduler.Cancellable timer;
    private boolean over;

    EventIdle(Exchange exchange) {
      this.exchange = exchange;
      this.limit = exchange.backend().backend().timeouts().idle();
      progress();
    }

    void progress() {
      if (over) {
        return;
      }
      if (timer != null) {
        timer.cancel();
      }
      timer = timers.schedule(limit, () -> {
        Runnable expire = () -> {
          if (!over && !exchange.finished()) {
            over = true;
            completion.fail(exchange, new GatewayError.UpstreamTimeout(exchange.backendName(), limit.toMillis()));
            exchange.resetUpstream();
          }
        };
        if (context == null) {
          expire.run();
        } else {
          context.runOnContext(v -> expire.run());
        }
      });
    }

    void stop() {
      over = true;
      if (timer != null) {
        timer.cancel();
      }
    }
  }

  void relay(Exchange exchange, BackendAdapter adapter, HttpClientResponse upstream) {
    int status = upstream.statusCode();
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    HttpServerResponse response = exchange.request.response();
    if (status < 100 || status > 599) { // no client can be trusted to read it; RFC 9110 §15
      exchange.resetUpstream();
      completion.fail(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(),
          "the upstream answered with status " + status + ", outside 100-599"));
      return;
    }
    if (status / 100 != 2) {
      if (adapter.translatesErrors()) {
        readWhole(exchange, upstream, body -> completion.fail(exchange,
            adapter.upstreamError(status, contentType, SecretScrubber.scrub(body, exchange.credential))));
        return;
      }
      GatewayError replaced = adapter.upstreamError(status, contentType, null);
      if (replaced != null) {
        upstream.handler(chunk -> { }); // discard, bounded by the connection's idle timeout
        upstream.endHandler(v -> completion.fail(exchange, replaced));
        upstream.exceptionHandler(err -> completion.fail(exchange, replaced));
        return;
      }
    }
    ResponseDecoder decoded = status / 100 == 2 ? adapter.decoder(contentType) : ResponseDecoders.raw();
    // Processors that look at bodies read events in pivot form too; nobody else pays for parsing.
    ResponseDecoder decoder = exchange.run != null && exchange.run.responseBody() != BodyMode.NONE
        ? decoded.withPivots() : decoded;
    boolean sse = decoder.events();
    if (decoder.contentType() == null) {
      HopByHop.copy(upstream.headers(), response.headers());
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, decoder.contentType());
    }
    if (sse) {
      response.headers().remove(HttpHeaders.CONTENT_LENGTH);
      if (decoder.contentType() != null) {
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      }
    }
    if (status / 100 != 2 && exchange.credential != null) {
      // An error body may repeat the key it was sent: read it whole (errors are small) and scrub it.
      readWhole(exchange, upstream, body -> {
        byte[] scrubbed = SecretScrubber.scrub(body, exchange.credential);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(scrubbed.length));
        head.open(exchange, status, false, writer -> writer.offerWhole(scrubbed, null));
      });
      return;
    }
    upstream.pause();
    if (!sse && wantsWholeBody(exchange, status)) {
      collectThenWrite(exchange, upstream, decoder, status);
      return;
    }
    head.open(exchange, status, sse, writer -> {
      writer.pausing(upstream);
      stream(exchange, upstream, decoder, writer, sse);
      upstream.resume();
    });
  }

  /**
   * A non-streamed answer is read whole first when its processors need it so: a chain asked for
   * the body BUFFERED, or header stages want the answer's usage (it is in the body).
   */
  private static boolean wantsWholeBody(Exchange exchange, int status) {
    if (exchange.run == null) {
      return false;
    }
    return exchange.run.responseBody() == BodyMode.BUFFERED
        || (exchange.run.wantsResponseHeaders() && exchange.endpoint.requiresModel() && status / 100 == 2
            && exchange.run.ranConfiguredChains());
  }

  private void stream(Exchange exchange, HttpClientResponse upstream, ResponseDecoder decoder, ResponseWriter writer,
      boolean sse) {
    EventIdle idle = sse ? new EventIdle(exchange) : null;
    if (decoder.passesThrough() && !writer.processes()) {
      passThrough(exchange, upstream, decoder, writer);
    } else {
      dev.aigis.core.backend.EventSink events = idle == null ? writer::offer : (bytes, pivot) -> {
        idle.progress();
        writer.offer(bytes, pivot);
      };
      upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      try {
        decoder.bytes(chunk.getBytes(), events);
      } catch (TranslationException e) {
        broken(exchange, e.error());
        return;
      }
      if (writer.processes()) {
        exchange.usage = decoder.usage();
      }
    });
    }
    upstream.endHandler(v -> {
      if (idle != null) {
        idle.stop();
      }
      if (exchange.finished()) {
        return;
      }
      try {
        decoder.end(writer::offer);
      } catch (TranslationException e) {
        broken(exchange, e.error());
        return;
      }
      exchange.usage = decoder.usage();
      completion.upstreamViolation(exchange, decoder.violation());
      writer.finish();
    });
    upstream.exceptionHandler(err -> {
      if (idle != null) {
        idle.stop();
      }
      if (exchange.finished()) {
        return;
      }
      GatewayError error = err instanceof TimeoutException
          ? new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend().backend().timeouts().idle().toMillis())
          : new GatewayError.UpstreamProtocolError(exchange.backendName(), sse ? "connection lost mid-stream" : "connection lost mid-body");
      if (!sse && exchange.request.response().headWritten()) {
        // A partly written body cannot be turned into an error; cut it so the client sees the failure.
        exchange.errorCode = error.code();
        completion.abort(exchange, 502, error.code());
      } else {
        completion.fail(exchange, error);
      }
    });
  }

  /** A native answer nobody looks into: the upstream's buffers go to the client as they are; the decoder sees tails. */
  private static void passThrough(Exchange exchange, HttpClientResponse upstream, ResponseDecoder decoder,
      ResponseWriter writer) {
    dev.aigis.core.backend.EventSink ignore = (bytes, pivot) -> { };
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      int length = chunk.length();
      try {
        decoder.bytes(length > UsageTail.CAPACITY ? chunk.getBytes(length - UsageTail.CAPACITY, length) : chunk.getBytes(),
            ignore);
      } catch (TranslationException e) {
        throw new IllegalStateException("a pass-through decoder does not fail", e);
      }
      writer.write(chunk);
    });
  }

  /** Collects and decodes the whole answer, then opens the head (usage known) and writes it as one chunk. */
  private void collectThenWrite(Exchange exchange, HttpClientResponse upstream, ResponseDecoder decoder, int status) {
    List<byte[]> parts = new ArrayList<>();
    ObjectNode[] pivot = new ObjectNode[1];
    int[] size = new int[1];
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      try {
        decoder.bytes(chunk.getBytes(), (bytes, p) -> {
          parts.add(bytes);
          pivot[0] = p;
          size[0] += bytes.length;
        });
      } catch (TranslationException e) {
        broken(exchange, e.error());
        return;
      }
      if (size[0] > MAX_WHOLE_BYTES) {
        broken(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(),
            "response body exceeds the " + MAX_WHOLE_BYTES + " bytes response processors can buffer"));
      }
    });
    upstream.exceptionHandler(err -> completion.fail(exchange, err instanceof TimeoutException
        ? new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend().backend().timeouts().idle().toMillis())
        : new GatewayError.UpstreamProtocolError(exchange.backendName(), "connection lost mid-body")));
    upstream.endHandler(v -> {
      if (exchange.finished()) {
        return;
      }
      try {
        decoder.end((bytes, p) -> {
          parts.add(bytes);
          pivot[0] = p;
        });
      } catch (TranslationException e) {
        broken(exchange, e.error());
        return;
      }
      exchange.usage = decoder.usage();
      completion.upstreamViolation(exchange, decoder.violation());
      byte[] whole = concat(parts);
      // One part is the decoded answer with its pivot; a native answer arrives in pieces and its
      // pivot is read from the whole.
      ObjectNode wholePivot = parts.size() == 1 && pivot[0] != null ? pivot[0] : decoder.pivotOfWhole(whole);
      head.open(exchange, status, false, writer -> writer.offerWhole(whole, wholePivot));
    });
    upstream.resume();
  }

  private static byte[] concat(List<byte[]> parts) {
    if (parts.size() == 1) {
      return parts.getFirst();
    }
    var out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Reads a whole (error) body, capped. */
  void readWhole(Exchange exchange, HttpClientResponse upstream, java.util.function.Consumer<byte[]> then) {
    Buffer collected = Buffer.buffer();
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      if (collected.length() + chunk.length() > MAX_WHOLE_BYTES) {
        broken(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(), "answer too large to translate"));
        return;
      }
      collected.appendBuffer(chunk);
    });
    upstream.exceptionHandler(err -> completion.fail(exchange, err instanceof TimeoutException
        ? new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend().backend().timeouts().idle().toMillis())
        : new GatewayError.UpstreamProtocolError(exchange.backendName(), "connection lost mid-body")));
    upstream.endHandler(v -> {
      if (!exchange.finished()) {
        then.accept(collected.getBytes());
      }
    });
  }

  /** Error first, then reset: the reset calls the exception handler, which must find the exchange done. */
  private void broken(Exchange exchange, GatewayError error) {
    completion.fail(exchange, error);
    exchange.resetUpstream();
  }
}
