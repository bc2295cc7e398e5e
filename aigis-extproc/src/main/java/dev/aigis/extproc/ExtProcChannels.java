package dev.aigis.extproc;

import dev.aigis.model.processing.ExtProcessSpec;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channels to ext_proc servers, one per {@code host:port:tls}, shared by every processor
 * (and every configuration generation) that names the endpoint. A channel multiplexes all the
 * exchanges' streams over one HTTP/2 connection and reconnects by itself. Thread-safe.
 *
 * <p>TLS uses the JVM's default trust store. Channels use grpc-java's default transport
 * (grpc-netty-shaded) and its own threads; processors never block on them.
 */
public final class ExtProcChannels implements AutoCloseable {

  private record Endpoint(String host, int port, boolean tls) {}

  private final ConcurrentHashMap<Endpoint, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Duration shutdownGrace;
  private volatile boolean closed;

  /** Channels given 5 seconds to finish their streams on {@link #close()}. */
  public ExtProcChannels() {
    this(Duration.ofSeconds(5));
  }

  public ExtProcChannels(Duration shutdownGrace) {
    this.shutdownGrace = shutdownGrace;
  }

  /** The channel for the spec's endpoint, created on first use. */
  public ManagedChannel channel(ExtProcessSpec spec) {
    if (closed) {
      throw new IllegalStateException("ext_proc channels are closed");
    }
    return channels.computeIfAbsent(new Endpoint(spec.host(), spec.port(), spec.tls()), ExtProcChannels::open);
  }

  /** A processor on the spec's endpoint's shared channel. */
  public ExtProcProcessor processor(String name, ExtProcessSpec spec) {
    return new ExtProcProcessor(name, spec, channel(spec));
  }

  private static ManagedChannel open(Endpoint endpoint) {
    ChannelCredentials credentials = endpoint.tls() ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    return Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(), credentials).build();
  }

  /** Number of open channels (for metrics and tests). */
  public int size() {
    return channels.size();
  }

  /**
   * Shuts every channel down: streams in progress get {@code shutdownGrace} to finish, then are
   * cancelled. Later calls to {@link #channel} fail.
   */
  @Override
  public void close() {
    closed = true;
    List<ManagedChannel> open = new ArrayList<>(channels.values());
    channels.clear();
    open.forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    for (ManagedChannel channel : open) {
      try {
        if (!channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
