package dev.aigis.server.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request smuggling through {@code Content-Length} plus {@code Transfer-Encoding}. Netty's decoder
 * reads such a request by its chunks and drops the length, as RFC 9112 §6.1 allows, but keeps the
 * connection open: bytes a proxy in front counted as this request's body become the next request
 * here. The RFC says to close the connection after responding; Aigis refuses the request (400) and
 * closes, as nginx does. Netty removes the evidence before Vert.x sees the request, so this
 * replaces Vert.x's decoder on each new HTTP/1.x connection with one that marks such a request
 * with {@link #MARK}, a header the front door turns into that 400.
 *
 * <p>Vert.x gives no public hook for this: the decoder is reached through its internal connection
 * type. {@code Http11RulesTest} fails if an upgrade breaks it. With {@code --h2c} the HTTP/1.x
 * connection exists only after the first request was decoded, so the decoder is left alone.
 */
public final class LengthAndChunkedGuard {

  /** Set by the decoder on a request that had both headers; a client sending it is refused the same way. */
  public static final String MARK = "x-aigis-length-and-chunked";

  private static final Logger LOG = LoggerFactory.getLogger(LengthAndChunkedGuard.class);

  private LengthAndChunkedGuard() {}

  /** Call from the server's connection handler, before the connection has read anything. */
  public static void install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof HttpServerConnection internal)) {
      return;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    for (Map.Entry<String, ChannelHandler> handler : pipeline) {
      if (handler.getValue() instanceof VertxHttpRequestDecoder && !(handler.getValue() instanceof MarkingDecoder)) {
        pipeline.replace(handler.getValue(), handler.getKey(), new MarkingDecoder(options));
        return;
      }
    }
    LOG.debug("no HTTP/1.x request decoder on connection {}; left as it is", connection);
  }

  private static final class MarkingDecoder extends VertxHttpRequestDecoder {
    MarkingDecoder(HttpServerOptions options) {
      super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      super.handleTransferEncodingChunkedWithContentLength(message);
      message.headers().set(MARK, "1");
    }
  }
}
