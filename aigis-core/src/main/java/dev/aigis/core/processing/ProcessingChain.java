package dev.aigis.core.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * An ordered list of processors, compiled once per configuration and shared by every exchange.
 * {@link #start} gives the per-exchange runner, {@link ChainExchange}, which applies list order,
 * failure modes, timeouts and hold-back limits.
 *
 * <p>Immutable and thread-safe. Each processor's {@link Processor#needs()} is read once, here.
 */
public final class ProcessingChain {

  private final String name;
  private final List<ConfiguredProcessor> processors;
  final ConfiguredProcessor[] array;
  final ProcessorNeeds[] needsOf;
  private final ProcessorNeeds needs;

  /**
   * @param name the chain's name, reported to the {@link ProcessingObserver}
   * @param processors in request order; a null failure mode means {@code FailClosed}, a null or
   *     non-positive timeout means none beyond the request's own
   */
  public ProcessingChain(String name, List<ConfiguredProcessor> processors) {
    this.name = Objects.requireNonNull(name, "name");
    List<ConfiguredProcessor> normalised = new ArrayList<>(processors.size());
    for (ConfiguredProcessor p : processors) {
      Objects.requireNonNull(p.name(), "processor name");
      Objects.requireNonNull(p.processor(), "processor");
      normalised.add(p.failureMode() != null ? p
          : new ConfiguredProcessor(p.name(), FailureMode.FailClosed, p.timeout(), p.processor()));
    }
    this.processors = List.copyOf(normalised);
    this.array = this.processors.toArray(ConfiguredProcessor[]::new);
    this.needsOf = new ProcessorNeeds[array.length];
    boolean requestHeaders = false;
    boolean responseHeaders = false;
    BodyMode requestBody = BodyMode.NONE;
    BodyMode responseBody = BodyMode.NONE;
    int holdBack = 0;
    for (int i = 0; i < array.length; i++) {
      ProcessorNeeds n = Objects.requireNonNull(array[i].processor().needs(), "needs of " + array[i].name());
      if (n.holdBackEvents() < 0) {
        throw new IllegalArgumentException("processor " + array[i].name() + " declares negative holdBackEvents");
      }
      needsOf[i] = n;
      requestHeaders |= n.requestHeaders();
      responseHeaders |= n.responseHeaders();
      requestBody = mostDemanding(requestBody, n.requestBody());
      responseBody = mostDemanding(responseBody, n.responseBody());
      holdBack = Math.max(holdBack, n.holdBackEvents());
    }
    this.needs = new ProcessorNeeds(requestHeaders, requestBody, responseHeaders, responseBody, holdBack);
  }

  /**
   * BUFFERED wins over STREAMED: a buffered body can be handed to a streaming processor as one
   * chunk, a streamed one cannot be handed whole to a buffering processor.
   */
  private static BodyMode mostDemanding(BodyMode a, BodyMode b) {
    if (a == BodyMode.BUFFERED || b == BodyMode.BUFFERED) {
      return BodyMode.BUFFERED;
    }
    return a == BodyMode.STREAMED || b == BodyMode.STREAMED ? BodyMode.STREAMED : BodyMode.NONE;
  }

  public String name() {
    return name;
  }

  public List<ConfiguredProcessor> processors() {
    return processors;
  }

  public boolean isEmpty() {
    return array.length == 0;
  }

  /**
   * The union of the processors' needs: a flag is set if any processor sets it, body modes are the
   * most demanding (BUFFERED over STREAMED over NONE), {@code holdBackEvents} is the largest. The
   * data plane buffers the request body (up to its limit, answering 413 above it before the chain
   * runs) only when this says BUFFERED.
   */
  public ProcessorNeeds needs() {
    return needs;
  }

  /**
   * Starts one exchange. {@code executor} is the exchange's event loop: every continuation after an
   * asynchronous stage runs there. {@code scheduler} times the processors' timeouts.
   */
  public ChainExchange start(Executor executor, Scheduler scheduler, ProcessingObserver observer) {
    return new ChainExchange(this, executor, scheduler, observer == null ? ProcessingObserver.NONE : observer);
  }

  @Override
  public String toString() {
    return "ProcessingChain[" + name + ", " + processors.stream().map(ConfiguredProcessor::name).toList() + "]";
  }
}
