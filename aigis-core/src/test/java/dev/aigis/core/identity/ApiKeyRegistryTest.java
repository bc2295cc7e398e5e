package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.ApiKey;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

  static final String ALICE_KEY = "sk-aigis-" + "a".repeat(43);
  static final String BOB_KEY = "sk-aigis-" + "b".repeat(43);
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  final TestClock clock = new TestClock(NOW);

  static ApiKey key(String name, String key, Instant expires) {
    return new ApiKey(name, "research", ApiKeys.sha256(key), List.of("gpt-4o*"), Map.of("env", "dev"), expires,
        "aigis/aigis-key-" + name);
  }

  @Test
  void validKeyYieldsItsIdentityWithoutTheSecret() {
    var registry = new ApiKeyRegistry(List.of(key("alice", ALICE_KEY, null), key("bob", BOB_KEY, null)), clock);
    AuthResult result = registry.authenticate(ALICE_KEY);
    assertThat(result).isInstanceOf(Authenticated.class);
    Identity identity = ((Authenticated) result).identity();
    assertThat(identity).isEqualTo(new Identity(Identity.Kind.API_KEY, "alice", "research", List.of(),
        Map.of("env", "dev"), Map.of(), List.of("gpt-4o*"), null));
    assertThat(identity.toString()).doesNotContain(ALICE_KEY).doesNotContain(ApiKeys.sha256Hex(ALICE_KEY));
  }

  @Test
  void unknownKeyIsRejectedWithoutEchoingIt() {
    var registry = new ApiKeyRegistry(List.of(key("alice", ALICE_KEY, null)), clock);
    assertThat(registry.authenticate(BOB_KEY)).isEqualTo(new Rejected("invalid API key"));
  }

  @Test
  void keyIsRejectedFromItsExpiryOn() {
    Instant expires = NOW.plus(Duration.ofDays(1));
    var registry = new ApiKeyRegistry(List.of(key("alice", ALICE_KEY, expires)), clock);
    clock.advance(Duration.ofDays(1).minusSeconds(1));
    assertThat(registry.authenticate(ALICE_KEY)).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(registry.authenticate(ALICE_KEY))
        .isEqualTo(new Rejected("API key alice expired at 2026-01-02T00:00:00Z"));
  }

  @Test
  void hitIsConfirmedWithTheConstantTimeComparison() {
    List<byte[][]> comparisons = new ArrayList<>();
    var registry = new ApiKeyRegistry(List.of(key("alice", ALICE_KEY, null)), clock, (a, b) -> {
      comparisons.add(new byte[][] {a, b});
      return MessageDigest.isEqual(a, b);
    });
    assertThat(registry.authenticate(ALICE_KEY)).isInstanceOf(Authenticated.class);
    assertThat(comparisons).hasSize(1);
    assertThat(comparisons.getFirst()[0]).isEqualTo(ApiKeys.sha256(ALICE_KEY)).isEqualTo(comparisons.getFirst()[1]);

    // A comparison that says no wins over the map hit.
    var refusing = new ApiKeyRegistry(List.of(key("alice", ALICE_KEY, null)), clock, (a, b) -> false);
    assertThat(refusing.authenticate(ALICE_KEY)).isEqualTo(new Rejected("invalid API key"));
  }

  @Test
  void duplicateHashKeepsTheFirstKeyAndMalformedHashesAreSkipped() {
    var malformed = new ApiKey("short", null, new byte[3], null, null, null, "aigis/short");
    var registry = new ApiKeyRegistry(List.of(key("alice", ALICE_KEY, null), key("copy", ALICE_KEY, null), malformed), clock);
    assertThat(registry.size()).isEqualTo(1);
    assertThat(((Authenticated) registry.authenticate(ALICE_KEY)).identity().name()).isEqualTo("alice");
  }
}
