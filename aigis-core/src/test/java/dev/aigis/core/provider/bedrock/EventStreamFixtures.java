package dev.aigis.core.provider.bedrock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The readable form of an event-stream fixture, {@code response.in.events}: one frame a line,
 * {@code event <event-type> <json>} or {@code exception <exception-type> <json>}. {@link #main}
 * writes each case's {@code response.in.bin} from it (run after editing a fixture); the golden test
 * checks the two agree, so the committed binary cannot drift from what it claims to hold.
 */
final class EventStreamFixtures {

  private EventStreamFixtures() {}

  static byte[] encode(List<String> lines) {
    var out = new java.io.ByteArrayOutputStream();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      Map<String, HeaderValue> headers = new LinkedHashMap<>();
      headers.put(parts[0].equals("event") ? ":event-type" : ":exception-type", HeaderValue.fromString(parts[1]));
      headers.put(":content-type", HeaderValue.fromString("application/json"));
      headers.put(":message-type", HeaderValue.fromString(parts[0]));
      ByteBuffer frame = new Message(headers, parts[2].getBytes(StandardCharsets.UTF_8)).toByteBuffer();
      out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }
    return out.toByteArray();
  }

  /** The lines a binary stream holds, in the {@code response.in.events} form. */
  static List<String> decode(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(m -> {
      String kind = m.getHeaders().get(":message-type").getString();
      String type = m.getHeaders().get(kind.equals("event") ? ":event-type" : ":exception-type").getString();
      lines.add(kind + " " + type + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
    });
    decoder.feed(bytes);
    return lines;
  }

  static List<String> lines(Path events) {
    try {
      return Files.readAllLines(events).stream().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites every {@code response.in.bin} under the source fixture directory given. */
  public static void main(String[] args) throws IOException {
    try (var dirs = Files.list(Path.of(args[0]))) {
      for (Path dir : dirs.toList()) {
        Path events = dir.resolve("response.in.events");
        if (Files.exists(events)) {
          Files.write(dir.resolve("response.in.bin"), encode(lines(events)));
        }
      }
    }
  }
}
