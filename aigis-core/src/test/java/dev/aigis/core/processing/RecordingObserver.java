package dev.aigis.core.processing;

import java.util.ArrayList;
import java.util.List;

/** Keeps every report as {@code processor:STAGE:OUTCOME}. */
public final class RecordingObserver implements ProcessingObserver {

  public final List<String> events = new ArrayList<>();
  public final List<Long> nanos = new ArrayList<>();

  @Override
  public void processed(String chain, String processor, Stage stage, Outcome outcome, long nanos) {
    events.add(processor + ":" + stage + ":" + outcome);
    this.nanos.add(nanos);
  }
}
