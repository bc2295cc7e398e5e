package dev.aigis.core.exchange.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.MutableHeaders;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model the body names is the routing header, whatever the client sent. */
class ModelHeaderStepTest {

  private final ModelHeaderStep step = new ModelHeaderStep();

  private static ProcessedRequest request(MutableHeaders headers, String model) {
    return new ProcessedRequest("POST", "/v1/chat/completions", headers, new byte[0], model);
  }

  private void run(ProcessedRequest request) {
    assertThat(step.onRequestHeaders(request, null).toCompletableFuture().join()).isEqualTo(Verdict.CONTINUE);
  }

  @Test
  void setsTheHeaderFromTheBody() {
    ProcessedRequest request = request(HeaderList.of(), "gpt-4o");

    run(request);

    assertThat(request.headers().getAll(ModelHeaderStep.MODEL_HEADER)).containsExactly("gpt-4o");
  }

  @Test
  void overwritesAClientSentHeaderWhateverItsCase() {
    ProcessedRequest request = request(HeaderList.of("x-gateway-model-name", "expensive-model",
        "X-Gateway-Model-Name", "another"), "gpt-4o-mini");

    run(request);

    assertThat(request.headers().getAll(ModelHeaderStep.MODEL_HEADER)).containsExactly("gpt-4o-mini");
  }

  @Test
  void leavesNoSecondClientValueBehindWhenTheFirstAlreadyNamesTheModel() {
    ProcessedRequest request = request(HeaderList.of("X-Gateway-Model-Name", "gpt-4o-mini",
        "X-Gateway-Model-Name", "expensive-model"), "gpt-4o-mini");

    run(request);

    assertThat(request.headers().getAll(ModelHeaderStep.MODEL_HEADER)).containsExactly("gpt-4o-mini");
  }

  @Test
  void removesAClientSentHeaderWhenTheBodyNamesNoModel() {
    ProcessedRequest request = request(HeaderList.of("X-Gateway-Model-Name", "expensive-model", "accept", "*/*"), null);

    run(request);

    assertThat(request.headers().get(ModelHeaderStep.MODEL_HEADER)).isNull();
    assertThat(request.headers().get("accept")).isEqualTo("*/*");
  }

  @Test
  void writesNothingWhenTheHeaderAlreadyNamesTheModelOrThereIsNeither() {
    // Front doors copy the client's headers on the first write: a step that only reads costs no copy.
    var agreeing = new RecordingHeaders(HeaderList.of("X-Gateway-Model-Name", "gpt-4o"));
    var neither = new RecordingHeaders(HeaderList.of());

    run(request(agreeing, "gpt-4o"));
    run(request(neither, null));

    assertThat(agreeing.writes).isEmpty();
    assertThat(neither.writes).isEmpty();
  }

  /** Headers that record every write. */
  private static final class RecordingHeaders implements MutableHeaders {
    final HeaderList delegate;
    final List<String> writes = new ArrayList<>();

    RecordingHeaders(HeaderList delegate) {
      this.delegate = delegate;
    }

    @Override
    public String get(String name) {
      return delegate.get(name);
    }

    @Override
    public List<String> getAll(String name) {
      return delegate.getAll(name);
    }

    @Override
    public void set(String name, String value) {
      writes.add("set " + name);
      delegate.set(name, value);
    }

    @Override
    public void add(String name, String value) {
      writes.add("add " + name);
      delegate.add(name, value);
    }

    @Override
    public void remove(String name) {
      writes.add("remove " + name);
      delegate.remove(name);
    }

    @Override
    public Iterable<Map.Entry<String, String>> entries() {
      return delegate.entries();
    }
  }
}
