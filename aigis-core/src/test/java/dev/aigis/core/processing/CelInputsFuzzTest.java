package dev.aigis.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.cel.CelProcessorFactory;
import dev.aigis.model.processing.InProcessSpec;
import dev.aigis.model.processing.InProcessSpec.Assignment;
import dev.aigis.model.processing.InProcessSpec.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of what CEL InProcess processors read: a fixed set of expressions of the
 * kinds configurations use, over fuzzed request bodies and a fuzzed header. Whatever the client
 * sends, the chain decides at once (no hang): with FailOpen it proceeds, with FailClosed it
 * proceeds or fails; a header it set holds no line break or NUL; a body it changed is still a JSON
 * object. Uses the processors' public API only. Corpus: {@code CelInputsFuzzTestInputs/request},
 * each file the {@code x-tenant} value, a newline, then the body.
 */
class CelInputsFuzzTest {

  private static final Processor PROCESSOR = new CelProcessorFactory().compile(new InProcessSpec(new Mutations(
      List.of(new Assignment("x-model", "json(request.body).model"),
          new Assignment("x-turns", "string(size(json(request.body).messages))"),
          new Assignment("x-system", "json(request.body).messages.exists(m, m.role == 'system') ? 'yes' : 'no'"),
          new Assignment("x-tenant-seen", "request.headers['x-tenant'] + '/' + k8s.llm.model")),
      List.of("x-internal"),
      List.of(new Assignment("$.metadata.tenant", "request.headers['x-tenant']"),
          new Assignment("$.max_tokens", "json(request.body).max_tokens * 2")),
      List.of("$.user")), null)).processor();

  @FuzzTest
  void request(byte[] input) throws IOException {
    int newline = indexOf(input, (byte) '\n');
    String tenant = new String(input, 0, newline, StandardCharsets.ISO_8859_1);
    byte[] body = Arrays.copyOfRange(input, Math.min(input.length, newline + 1), input.length);
    for (FailureMode mode : FailureMode.values()) {
      var request = new ProcessedRequest("POST", "/v1/chat/completions",
          HeaderList.of("content-type", "application/json", "x-tenant", tenant, "x-internal", "1"), body.clone(), null);
      var chain = new ProcessingChain("fuzz", List.of(new ConfiguredProcessor("cel", mode, null, PROCESSOR)));

      ChainOutcome outcome = chain.start(Runnable::run, new ManualScheduler(), new RecordingObserver())
          .request(request).toCompletableFuture().getNow(null);

      assertThat(outcome).as("decided at once").isNotNull();
      if (mode == FailureMode.FailOpen) {
        assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
      } else {
        assertThat(outcome).isInstanceOfAny(ChainOutcome.Proceed.class, ChainOutcome.Fail.class);
      }
      // Values come from the client's body: they must never split or end a header line upstream.
      for (String name : List.of("x-model", "x-turns", "x-system", "x-tenant-seen")) {
        assertThat(String.valueOf(request.headers().get(name))).doesNotContain("\r", "\n", "\0");
      }
      if (outcome instanceof ChainOutcome.Proceed && request.bodyChanged()) {
        assertThat(Json.MAPPER.readTree(request.body())).isInstanceOf(ObjectNode.class);
      }
    }
  }

  private static int indexOf(byte[] input, byte wanted) {
    for (int i = 0; i < input.length; i++) {
      if (input[i] == wanted) {
        return i;
      }
    }
    return input.length;
  }
}
