package dev.aigis.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What the inbound codecs' golden tests share: the cases under {@code fixtures/<name>/}, their JSON
 * files, and the replay of a pivot stream ({@code response.in.sse}: OpenAI {@code data:} chunks,
 * {@code [DONE]} ending it) through a codec, whole, at random cuts and byte by byte.
 */
public final class InboundGolden {

  private final Path root;

  /** @param fixtures the folder under {@code src/test/resources/fixtures/}, e.g. {@code gemini-inbound} */
  public InboundGolden(String fixtures) {
    try {
      this.root = Path.of(Objects.requireNonNull(InboundGolden.class.getResource("/fixtures/" + fixtures)).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path root() {
    return root;
  }

  /** The case names holding {@code requiredFile} (every case for ""), sorted. */
  public Stream<String> cases(String requiredFile) throws IOException {
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory)
          .filter(dir -> requiredFile.isEmpty() || Files.exists(dir.resolve(requiredFile)))
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  public JsonNode json(String name, String file) throws IOException {
    return Json.MAPPER.readTree(root.resolve(name).resolve(file).toFile());
  }

  public byte[] bytes(String name, String file) throws IOException {
    return Files.readAllBytes(root.resolve(name).resolve(file));
  }

  /** Through bytes, so numbers compare by value as parsed, not by the node class that built them. */
  public static JsonNode reparse(byte[] bytes) throws IOException {
    return Json.MAPPER.readTree(bytes);
  }

  public static List<SseEvent> decode(byte[] bytes) {
    var events = new ArrayList<SseEvent>();
    new SseDecoder(events::add, 1 << 16).feed(bytes);
    return events;
  }

  /** Feeds the pivot stream in the pieces {@code cuts} makes to {@code codec}; what it emits, in order. */
  public static byte[] replay(InboundCodec codec, byte[] stream, int[] cuts) {
    var out = new ByteArrayOutputStream();
    var decoder = new SseDecoder(event -> {
      if (event.data() == null) {
        return;
      }
      if (event.isDone()) {
        codec.pivotEnd(out::writeBytes);
        return;
      }
      try {
        codec.pivotChunk((ObjectNode) Json.MAPPER.readTree(event.data()), out::writeBytes);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }, 1 << 16);
    int from = 0;
    for (int cut : cuts) {
      decoder.feed(stream, from, cut - from);
      from = cut;
    }
    decoder.feed(stream, from, stream.length - from);
    return out.toByteArray();
  }

  /**
   * The stream replayed at 200 random cuts (fixed {@code seed}) and byte by byte gives exactly
   * {@code whole}, what it gave uncut.
   */
  public static void assertCutsChangeNothing(Function<int[], byte[]> replay, byte[] in, byte[] whole, long seed) {
    var random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      int[] cuts = random.ints(1 + random.nextInt(12), 1, in.length).sorted().distinct().toArray();
      assertThat(replay.apply(cuts)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(whole);
    }
    assertThat(replay.apply(IntStream.range(1, in.length).toArray())).as("byte by byte").isEqualTo(whole);
  }
}
