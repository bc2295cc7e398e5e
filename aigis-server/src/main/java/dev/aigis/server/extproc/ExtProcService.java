package dev.aigis.server.extproc;

import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/** {@code envoy.service.ext_proc.v3.ExternalProcessor}: one {@link ExtProcStream} per call. */
final class ExtProcService extends ExternalProcessorGrpc.ExternalProcessorImplBase {

  private final GatewayChains chains;
  private final Executor pool;
  private final Scheduler scheduler;
  private final ProcessingObserver observer;
  private final ExtProcServer.Limits limits;

  ExtProcService(GatewayChains chains, Executor pool, Scheduler scheduler, ProcessingObserver observer,
      ExtProcServer.Limits limits) {
    this.chains = chains;
    this.pool = pool;
    this.scheduler = scheduler;
    this.observer = observer;
    this.limits = limits;
  }

  @Override
  public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> responses) {
    var executor = new SerialExecutor(pool);
    return new ExtProcStream(chains, (ServerCallStreamObserver<ProcessingResponse>) responses, executor,
        chains.start(executor, scheduler, observer), limits);
  }
}
