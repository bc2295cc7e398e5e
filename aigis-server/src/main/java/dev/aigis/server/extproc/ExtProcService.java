package dev.aigis.server.extproc;

import dev.aigis.core.exchange.Workers;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code envoy.service.ext_proc.v3.ExternalProcessor}: one {@link ExtProcStream} per call, on the
 * target current when the call starts (a reload never changes a stream half-way).
 */
final class ExtProcService extends ExternalProcessorGrpc.ExternalProcessorImplBase {

  private final Supplier<ExtProcTarget> target;
  private final Executor pool;
  private final Scheduler scheduler;
  private final ProcessingObserver observer;
  private final Workers workers;
  private final ExtProcServer.Limits limits;

  ExtProcService(Supplier<ExtProcTarget> target, Executor pool, Scheduler scheduler, ProcessingObserver observer,
      Workers workers, ExtProcServer.Limits limits) {
    this.target = target;
    this.pool = pool;
    this.scheduler = scheduler;
    this.observer = observer;
    this.workers = workers;
    this.limits = limits;
  }

  @Override
  public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> responses) {
    var executor = new SerialExecutor(pool);
    return new ExtProcStream(target.get(), (ServerCallStreamObserver<ProcessingResponse>) responses, executor,
        scheduler, observer, workers, limits);
  }
}
