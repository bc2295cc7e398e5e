package dev.aigis.core.guard.processor;

import dev.aigis.core.api.text.EventKind;
import dev.aigis.core.api.text.ResponseText;
import dev.aigis.core.api.text.TextEvent;
import dev.aigis.core.processing.ProcessorException;
import dev.aigis.core.guard.StreamTextFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One streamed answer through the response-side guards: each SSE event's text delta goes through
 * the PII redactor and then the output filter (either may be absent), which hold deltas back and
 * release them in order; each released text is put back into the event it came from, in the
 * client's format. Events without text wait behind held ones so order is kept. Per exchange, one
 * call at a time (the chain serialises a stream's chunks).
 */
final class StreamGuard {

  /** An event waiting to go out, read once: {@code text} is null for events that carry none. */
  private record Held(TextEvent event, String text) {}

  /** What to write now, or that the stream must end. */
  record Step(List<byte[]> events, String blocked) {}

  private final ResponseText answers;
  private final StreamTextFilter pii;
  private final StreamTextFilter output;
  private final UnaryOperator<String> wholeTextEdit;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final ArrayDeque<String> released = new ArrayDeque<>();

  /**
   * @param wholeTextEdit applied to events that repeat the whole text (PII redaction of it), or null
   */
  StreamGuard(ResponseText answers, StreamTextFilter pii, StreamTextFilter output,
      UnaryOperator<String> wholeTextEdit) {
    this.answers = answers;
    this.pii = pii;
    this.output = output;
    this.wholeTextEdit = wholeTextEdit;
  }

  /**
   * @throws ProcessorException for an event the guards cannot read (not JSON, a key twice): it is
   *     not let through unread, the entry's failure mode decides
   */
  Step event(byte[] event) {
    TextEvent read = answers.event(event);
    if (read.kind() == EventKind.UNREADABLE) {
      throw new ProcessorException("a streamed event is not readable JSON; its text cannot be checked");
    }
    String text = read.kind() == EventKind.DELTA ? read.deltaText() : null;
    if (text == null) {
      if (held.isEmpty()) {
        return new Step(List.of(whole(read)), null);
      }
      held.add(new Held(read, null));
      return new Step(List.of(), null);
    }
    held.add(new Held(read, text));
    String blocked = through(pii == null ? StreamTextFilter.Release.of(List.of(text)) : pii.push(text));
    return drain(blocked, false);
  }

  Step end() {
    String blocked = pii == null ? null : through(pii.finish());
    if (blocked == null && output != null) {
      blocked = take(output.finish());
    }
    return drain(blocked, true);
  }

  /** Feeds what the PII stage released into the output stage; returns a block reason or null. */
  private String through(StreamTextFilter.Release fromPii) {
    if (fromPii.blocked() != null) {
      return fromPii.blocked();
    }
    for (String text : fromPii.texts()) {
      String blocked = output == null ? take(StreamTextFilter.Release.of(List.of(text))) : take(output.push(text));
      if (blocked != null) {
        return blocked;
      }
    }
    return null;
  }

  private String take(StreamTextFilter.Release release) {
    released.addAll(release.texts());
    return release.blocked();
  }

  /**
   * Writes out every held event whose text was released, and the text-less events queued behind
   * them. On a block, what was released before it (already checked) still goes out, then nothing
   * more. At the end of the stream the filters have released everything; a text event still held
   * would be unchecked text, so it is dropped rather than sent.
   */
  private Step drain(String blocked, boolean end) {
    List<byte[]> out = new ArrayList<>();
    while (!held.isEmpty()) {
      Held next = held.peek();
      if (next.text() == null) {
        if (blocked != null && released.isEmpty()) {
          break;
        }
        out.add(whole(held.poll().event()));
        continue;
      }
      if (released.isEmpty()) {
        break;
      }
      held.poll();
      String text = released.poll();
      out.add(text.equals(next.text()) ? next.event().raw() : next.event().withDeltaText(text));
    }
    if (blocked != null || end) {
      if (blocked == null) {
        held.stream().filter(h -> h.text() == null).forEach(h -> out.add(whole(h.event())));
      }
      held.clear();
      released.clear();
    }
    return new Step(out, blocked);
  }

  private byte[] whole(TextEvent event) {
    return wholeTextEdit == null || !event.carriesWholeText() ? event.raw() : event.rewriteWholeTexts(wholeTextEdit);
  }
}
