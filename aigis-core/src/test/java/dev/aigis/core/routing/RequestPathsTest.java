package dev.aigis.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.openai.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /v1/chat/completions          | /v1/chat/completions
      /                             | /
      /v1/../internal/              | /internal/
      /v1/%2e%2e/internal/          | /internal/
      /v1/%2E%2E/internal           | /internal
      /v1/./chat/completions        | /v1/chat/completions
      /v1/chat/..                   | /v1/
      /v1/chat/.                    | /v1/chat/
      /../../etc/passwd             | /etc/passwd
      /v1/..a/b                     | /v1/..a/b
      /v1/a..                       | /v1/a..
      /v1/file.json                 | /v1/file.json
      /v1/models/%67pt-4o           | /v1/models/gpt-4o
      /v1/models/a%20b              | /v1/models/a%20b
      /v1/models/a%3ab              | /v1/models/a%3Ab
      /v1/%7Euser                   | /v1/~user
      """)
  void normalises(String raw, String expected) throws RequestRejected {
    assertThat(RequestPaths.normalize(raw)).isEqualTo(expected);
  }

  @Test
  void anUnchangedPathIsTheSameInstance() throws RequestRejected {
    String path = "/v1/chat/completions";
    assertThat(RequestPaths.normalize(path)).isSameAs(path);
  }

  @ParameterizedTest
  @CsvSource({"/v1/%2E%2E%2Finternal", "/v1/a%2fb", "/v1/..%5Cinternal"})
  void anEncodedSlashIsRefused(String raw) {
    assertThatThrownBy(() -> RequestPaths.normalize(raw)).isInstanceOfSatisfying(RequestRejected.class, e -> {
      assertThat(e.error().status()).isEqualTo(400);
      assertThat(e.error().message()).contains("encoded slash");
    });
  }

  @ParameterizedTest
  @CsvSource({"/v1/%zz", "/v1/%2", "/v1/%"})
  void aMalformedEscapeIsRefused(String raw) {
    assertThatThrownBy(() -> RequestPaths.normalize(raw)).isInstanceOfSatisfying(RequestRejected.class,
        e -> assertThat(e.error().message()).contains("malformed percent-encoding"));
  }

  @Test
  void aPathMustBeAbsolute() {
    assertThatThrownBy(() -> RequestPaths.normalize("v1/chat")).isInstanceOf(RequestRejected.class);
    assertThatThrownBy(() -> RequestPaths.normalize("")).isInstanceOf(RequestRejected.class);
  }
}
