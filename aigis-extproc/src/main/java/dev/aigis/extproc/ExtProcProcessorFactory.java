package dev.aigis.extproc;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.ExtProcessSpec;
import java.util.Objects;

/**
 * The {@link ProcessorFactory} of {@code type: ExtProcess}: a processor on the endpoint's shared
 * channel. Nothing is reported here: gRPC connects lazily, so a server that cannot be reached is a
 * runtime failure, handled by the entry's failure mode.
 */
public final class ExtProcProcessorFactory implements ProcessorFactory<ExtProcessSpec> {

  private final ExtProcChannels channels;

  /** @param channels shared with every configuration generation, and closed by their owner, not here */
  public ExtProcProcessorFactory(ExtProcChannels channels) {
    this.channels = Objects.requireNonNull(channels, "channels");
  }

  @Override
  public Processor compile(ExtProcessSpec spec, Entry entry) {
    return channels.processor(entry.name(), spec);
  }
}
