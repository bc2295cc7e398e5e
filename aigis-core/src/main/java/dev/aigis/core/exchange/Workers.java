package dev.aigis.core.exchange;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * The bounded pool for CPU-heavy processor work (embeddings, classifiers, large scans) that must
 * not run on an event loop. When it is saturated the returned stage fails at once with
 * {@link Saturated}, which the chain treats like any processor failure: the processor's failure
 * mode decides, and nothing queues without bound.
 */
public interface Workers {

  <T> CompletionStage<T> submit(Callable<T> task);

  /** The pool and its queue are full. */
  final class Saturated extends RuntimeException {
    public Saturated(String message) {
      super(message, null, false, false);
    }
  }
}
