package dev.aigis.core.provider.anthropic;

import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.openai.TranslatorGolden;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI chat to Claude on Vertex AI ({@code fixtures/claude-vertex/chat/}): the Anthropic body in
 * Vertex's envelope (no model, {@code anthropic_version}), the rawPredict paths, and Anthropic's
 * answers and streams, whole, cut at random and byte by byte.
 */
class ClaudeOnVertexGoldenTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));

  static Stream<Path> cases() {
    return TranslatorGolden.cases("claude-vertex");
  }

  static Stream<Path> streamCases() {
    return TranslatorGolden.streamCases("claude-vertex");
  }

  private static BackendTranslator translator() {
    return new OpenAiToAnthropicChatTranslator(new OpenAiToAnthropicChatTranslator.Host.Vertex("project-1", "us-east5"),
        CLOCK);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(Path dir) throws Exception {
    TranslatorGolden.check(dir, ClaudeOnVertexGoldenTest::translator);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomBoundaries(Path dir) throws Exception {
    TranslatorGolden.replayCut(dir, ClaudeOnVertexGoldenTest::translator, 60);
  }
}
