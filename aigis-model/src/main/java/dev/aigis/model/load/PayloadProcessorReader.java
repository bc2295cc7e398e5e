package dev.aigis.model.load;

import dev.aigis.model.ObjectMeta;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.SourceRef;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.ExtProcessSpec.BodySendMode;
import dev.aigis.model.processing.ExtProcessSpec.HeaderSendMode;
import dev.aigis.model.processing.InProcessSpec;
import dev.aigis.model.processing.ProcessorPhase;
import dev.aigis.model.processing.ProcessorSpec;
import dev.aigis.model.processing.TargetRef;
import java.util.List;

/**
 * Reads the spec of an aigis.dev/v1alpha1 PayloadProcessor: structure, types and enum names only.
 * Rules that hold for resources from the cluster too (counts, names, the type/block pairing, JSONPath
 * syntax, references, conflicts) are the snapshot compiler's, so they are checked in one place.
 */
final class PayloadProcessorReader {

  private static final List<String> PROCESSOR =
      List.of("name", "type", "failureMode", "timeout", "inProcess", "extProcess");
  private static final String[] MUTATIONS = {"setHeaders", "removeHeaders", "setBodyFields", "removeBodyFields"};

  private PayloadProcessorReader() {}

  static PayloadProcessor read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "targetRef", "phase", "processors");
    if (spec == null) {
      return null;
    }
    Fields target = spec.object("targetRef", "group", "kind", "name");
    TargetRef targetRef = target == null ? null
        : new TargetRef(target.string("group"), target.requiredString("kind"), target.requiredString("name"));
    ProcessorPhase phase = spec.choice("phase", false, ProcessorPhase.values());
    List<ProcessorSpec> processors = spec.objects("processors", true, PROCESSOR, PayloadProcessorReader::processor);
    return new PayloadProcessor(metadata, source, targetRef, phase, processors);
  }

  private static ProcessorSpec processor(Fields processor) {
    Fields inProcess = processor.object("inProcess", "request", "response");
    Fields extProcess = processor.object("extProcess", "host", "port", "tls", "processingMode");
    return new ProcessorSpec(
        processor.requiredString("name"),
        processor.choice("type", true, ProcessorSpec.ProcessorType.values()),
        processor.choice("failureMode", false, ProcessorSpec.FailureModeSpec.values()),
        processor.duration("timeout"),
        inProcess == null ? null : new InProcessSpec(
            mutations(inProcess.object("request", MUTATIONS)), mutations(inProcess.object("response", MUTATIONS))),
        extProcess == null ? null : extProcess(extProcess));
  }

  /** YAML writes {@code {name, value}} for headers and {@code {path, value}} for body fields. */
  private static InProcessSpec.Mutations mutations(Fields mutations) {
    if (mutations == null) {
      return null;
    }
    return new InProcessSpec.Mutations(
        mutations.objects("setHeaders", false, List.of("name", "value"),
            set -> new InProcessSpec.Assignment(set.requiredString("name"), set.requiredString("value"))),
        mutations.strings("removeHeaders"),
        mutations.objects("setBodyFields", false, List.of("path", "value"),
            set -> new InProcessSpec.Assignment(set.requiredString("path"), set.requiredString("value"))),
        mutations.strings("removeBodyFields"));
  }

  private static ExtProcessSpec extProcess(Fields extProcess) {
    String host = extProcess.requiredString("host");
    int port = extProcess.requiredInt("port");
    boolean tls = extProcess.bool("tls", false);
    Fields mode = extProcess.object("processingMode",
        "requestHeaderMode", "requestBodyMode", "responseHeaderMode", "responseBodyMode");
    return new ExtProcessSpec(host, port, tls,
        mode == null ? ExtProcessSpec.ProcessingModeSpec.DEFAULT : new ExtProcessSpec.ProcessingModeSpec(
            mode.choice("requestHeaderMode", false, HeaderSendMode.values()),
            mode.choice("requestBodyMode", false, BodySendMode.values()),
            mode.choice("responseHeaderMode", false, HeaderSendMode.values()),
            mode.choice("responseBodyMode", false, BodySendMode.values())));
  }
}
