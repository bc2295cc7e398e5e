package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.aigis.core.identity.ApiKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code aigis keys create} and {@code aigis keys hash}: where the key goes, and the Secret they print. */
class KeysCommandTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00.250Z");
  static final Pattern KEY = Pattern.compile("sk-aigis-[0-9A-Za-z]{43}");

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == KeysCreateCommand.class
            ? type.cast(new KeysCreateCommand(InstantSource.fixed(NOW), new SecureRandom()))
            : CommandLine.defaultFactory().create(type);
      }
    };
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = new CommandLine(new Main(), factory)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static String keyOn(String err) {
    Matcher key = KEY.matcher(err);
    assertThat(key.find()).as("a key on stderr: %s", err).isTrue();
    return key.group();
  }

  @Test
  void createPrintsTheKeyOnStderrOnlyAndTheHashOnStdout() {
    Result result = run("keys", "create", "--name", "alice");
    assertThat(result.exit()).isZero();
    String key = keyOn(result.err());
    assertThat(result.err()).contains("will not be shown again");
    assertThat(result.out()).isEqualTo("sha256: " + ApiKeys.sha256Hex(key) + "\n").doesNotContain(key);
  }

  @Test
  void createWritesTheSecretManifestWithTheHashNeverTheKey() throws Exception {
    Result result = run("keys", "create", "--name", "alice", "--team", "research", "--models", "gpt-4o-mini,claude-*",
        "--label", "env=dev", "--label", "cost-center=42", "--expires", "30d", "--namespace", "ml", "-o", "yaml");
    assertThat(result.exit()).as(result.err()).isZero();
    String key = keyOn(result.err());
    assertThat(result.out()).doesNotContain(key).doesNotContain(key.substring(ApiKeys.PREFIX.length()));
    // One whole document, so `-o yaml >> keys.yaml` appends a valid one.
    assertThat(result.out()).startsWith("---\n").endsWith("\n");

    JsonNode secret = new YAMLMapper().readTree(result.out());
    assertThat(secret.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(secret.path("kind").asText()).isEqualTo("Secret");
    assertThat(secret.path("type").asText()).isEqualTo("aigis.dev/api-key");
    assertThat(secret.path("metadata").path("name").asText()).isEqualTo("aigis-key-alice");
    assertThat(secret.path("metadata").path("namespace").asText()).isEqualTo("ml");
    JsonNode selector = secret.path("metadata").path("labels").path("aigis.dev/api-key");
    assertThat(selector.isTextual()).as("label values must be strings").isTrue();
    assertThat(selector.asText()).isEqualTo("true");
    JsonNode data = secret.path("stringData");
    assertThat(data.path("name").asText()).isEqualTo("alice");
    assertThat(data.path("sha256").asText()).isEqualTo(ApiKeys.sha256Hex(key));
    assertThat(data.path("team").asText()).isEqualTo("research");
    assertThat(data.path("models").asText()).isEqualTo("gpt-4o-mini,claude-*");
    assertThat(data.path("labels").asText()).isEqualTo("cost-center=42,env=dev");
    assertThat(data.path("expires").asText()).isEqualTo("2026-03-31T12:00:00Z");
    assertThat(data.path("expires").isTextual()).isTrue();
    assertThat(result.out()).contains("expires: \"2026-03-31T12:00:00Z\"", "aigis.dev/api-key: \"true\"");
  }

  @Test
  void optionalFieldsAreLeftOut() throws Exception {
    Result result = run("keys", "create", "--name", "bob", "-o", "yaml");
    JsonNode secret = new YAMLMapper().readTree(result.out());
    assertThat(secret.path("metadata").has("namespace")).isFalse();
    assertThat(secret.path("stringData").fieldNames()).toIterable().containsExactly("name", "sha256");
  }

  @Test
  void expiryTakesDaysHoursAndBoth() {
    assertThat(Expiry.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Expiry.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(Expiry.parse("1d12h")).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void invalidArgumentsFailWithUsage() {
    for (String[] args : new String[][] {
        {"keys", "create", "--name", "Alice"},
        {"keys", "create", "--name", "alice", "--namespace", "Bad_NS"},
        {"keys", "create", "--name", "alice", "--expires", "1w"},
        {"keys", "create", "--name", "alice", "--expires", "0d"},
        {"keys", "create", "--name", "alice", "--label", "a=b,c"},
        {"keys", "create", "--name", "alice", "--models", "gpt,,x"},
        {"keys", "create", "--name", "alice", "-o", "json"},
        {"keys", "create"},
        {"keys"}}) {
      Result result = run(args);
      assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(result.out()).isEmpty();
      assertThat(KEY.matcher(result.err()).find()).as("no key made for a refused command").isFalse();
    }
  }

  @Test
  void hashPrintsTheHexSha256() {
    String key = "sk-aigis-" + "0".repeat(43);
    Result result = run("keys", "hash", key);
    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo(ApiKeys.sha256Hex(key) + "\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void hashReadsTheKeyFromStdinForDash() {
    String key = "sk-aigis-" + "1".repeat(43);
    InputStream original = System.in;
    try {
      System.setIn(new ByteArrayInputStream((key + "\n").getBytes(StandardCharsets.UTF_8)));
      assertThat(run("keys", "hash", "-").out()).isEqualTo(ApiKeys.sha256Hex(key) + "\n");
    } finally {
      System.setIn(original);
    }
  }
}
