package dev.aigis.server.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Processors see the client's headers and change a private copy, made on their first write. */
class CopyOnWriteHeadersTest {

  /** The client's headers as the HTTP server hands them over. */
  private final MultiMap original = HttpHeaders.headers()
      .add("Content-Type", "application/json")
      .add("Accept", "text/event-stream")
      .add("X-Tag", "a")
      .add("X-Tag", "b");

  private final CopyOnWriteHeaders headers = new CopyOnWriteHeaders(original);

  private static List<String> entries(CopyOnWriteHeaders headers) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : headers.entries()) {
      out.add(e.getKey().toLowerCase() + "=" + e.getValue());
    }
    return out;
  }

  @Test
  void readsSeeTheOverlayFirstThenTheClientsHeaders() {
    original.add("X-Late", "1"); // a change the copy would not see

    assertThat(headers.get("x-late")).isEqualTo("1");
    assertThat(headers.get("CONTENT-TYPE")).isEqualTo("application/json");
    assertThat(headers.getAll("x-tag")).containsExactly("a", "b");

    headers.set("X-Processor", "seen");
    headers.set("x-late", "overlaid");

    assertThat(headers.get("x-processor")).isEqualTo("seen");
    assertThat(headers.get("X-Late")).as("the overlay wins").isEqualTo("overlaid");
    assertThat(headers.get("content-type")).as("untouched names still read the client's").isEqualTo("application/json");
    assertThat(original.get("x-late")).isEqualTo("1");
  }

  @Test
  void theOriginalIsNeverChanged() {
    headers.set("content-type", "text/plain");
    headers.add("x-tag", "c");
    headers.remove("Accept");
    headers.add("X-New", "1");

    assertThat(headers.get("Content-Type")).isEqualTo("text/plain");
    assertThat(headers.getAll("X-Tag")).containsExactly("a", "b", "c");
    assertThat(headers.get("accept")).isNull();
    assertThat(entries(headers)).containsExactlyInAnyOrder(
        "content-type=text/plain", "x-tag=a", "x-tag=b", "x-tag=c", "x-new=1");

    assertThat(original.get("content-type")).isEqualTo("application/json");
    assertThat(original.getAll("x-tag")).containsExactly("a", "b");
    assertThat(original.get("accept")).isEqualTo("text/event-stream");
    assertThat(original.contains("x-new")).isFalse();
    assertThat(original.entries()).hasSize(4);
  }

  @Test
  void removingAnAbsentHeaderDoesNotCopy() {
    headers.remove("X-Gateway-Model-Name");
    original.add("X-Late", "1");

    assertThat(headers.get("x-late")).as("still reading the original").isEqualTo("1");
  }

  @Test
  void removingAPresentHeaderHidesItWithoutTouchingTheClients() {
    headers.remove("x-tag");

    assertThat(headers.getAll("x-tag")).isEmpty();
    assertThat(headers.get("X-Tag")).isNull();
    assertThat(entries(headers)).containsExactly("content-type=application/json", "accept=text/event-stream");
    assertThat(original.getAll("x-tag")).containsExactly("a", "b");
  }

  @Test
  void entriesListEveryHeaderInOrderDuplicatesIncluded() {
    assertThat(entries(headers)).containsExactly(
        "content-type=application/json", "accept=text/event-stream", "x-tag=a", "x-tag=b");
  }

  @Test
  void manyChangedNamesAreCopiedOnceWithEveryChangeKept() {
    headers.set("x-one", "1");
    headers.remove("accept");
    headers.add("x-tag", "c"); // the third name: the overlay becomes a copy
    headers.set("x-two", "2");
    headers.remove("x-one");

    assertThat(entries(headers)).containsExactlyInAnyOrder(
        "content-type=application/json", "x-tag=a", "x-tag=b", "x-tag=c", "x-two=2");
    assertThat(headers.get("ACCEPT")).isNull();
    assertThat(headers.getAll("x-tag")).containsExactly("a", "b", "c");
    assertThat(original.entries()).hasSize(4);
    assertThat(original.contains("x-two")).isFalse();
  }
}
