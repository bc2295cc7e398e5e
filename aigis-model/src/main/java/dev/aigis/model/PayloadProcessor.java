package dev.aigis.model;

import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.processing.TargetRef;
import java.util.List;

/**
 * aigis.dev/v1alpha1 PayloadProcessor, the AI Gateway WG proposal-7 shape: an ordered list of 1 to
 * 16 processors attached to a Gateway or an HTTPRoute in one phase. Also referenced inline from an
 * HTTPRoute rule with an {@code ExtensionRef} filter, in which case {@code targetRef} and
 * {@code phase} may be absent.
 */
public record PayloadProcessor(
    ObjectMeta metadata, SourceRef source, TargetRef targetRef, ProcessorPhase phase, List<ProcessorSpec> processors)
    implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";

  /** The WG proposal's bound: a chain longer than this is a configuration mistake, and each stage costs latency. */
  public static final int MAX_PROCESSORS = 16;
  public static final String KIND = "PayloadProcessor";

  public PayloadProcessor {
    processors = processors == null ? List.of() : List.copyOf(processors);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
