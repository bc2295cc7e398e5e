package dev.aigis.core.guard.processor;

import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.anomaly.AnomalySettings;
import dev.aigis.core.guard.anomaly.Signal;
import dev.aigis.core.guard.injection.InjectionDetector;
import dev.aigis.core.guard.injection.InjectionModel;
import dev.aigis.core.guard.injection.InjectionPreparer;
import dev.aigis.core.guard.pii.PiiAction;
import dev.aigis.core.guard.pii.PiiEntity;
import dev.aigis.core.guard.pii.PiiPolicy;
import dev.aigis.core.guard.pii.PiiRedactor;
import dev.aigis.core.guard.signature.RuleFileException;
import dev.aigis.core.guard.signature.SignatureScorer;
import dev.aigis.core.guard.signature.SignatureSet;
import dev.aigis.core.guard.text.TextNormaliser;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.GuardrailSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compiles a {@code type: Guardrail} entry: resolves and loads its rule files (errors located at
 * the file, line and rule), checks entity names and phone regions, and builds the guards on the
 * process's shared {@link GuardRuntime}. Models are not loaded here; they load in the background
 * once a guard is compiled, and on first use at the latest.
 */
public final class GuardrailFactory implements ProcessorFactory<GuardrailSpec> {

  private static final SignatureSet DEFAULT_INJECTION_RULES = SignatureSet.defaultInjection();

  private final GuardRuntime runtime;

  public GuardrailFactory(GuardRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Processor compile(GuardrailSpec spec, Entry entry) {
    String policy = entry.chain().isEmpty() ? entry.name() : entry.chain() + "/" + entry.name();
    int errors = 0;
    GuardrailProcessor.InjectionGuard injection = null;
    if (spec.injection() != null) {
      injection = injection(spec.injection(), entry);
      errors += injection == null ? 1 : 0;
    }
    GuardrailProcessor.PiiGuard pii = null;
    if (spec.pii() != null) {
      pii = pii(spec.pii(), entry);
      errors += pii == null ? 1 : 0;
    }
    GuardrailProcessor.OutputGuard output = null;
    if (spec.output() != null) {
      int stride = spec.output().stride();
      output = new GuardrailProcessor.OutputGuard(text -> runtime.outputFilter().score(text),
          () -> runtime.outputFilter().monitor(stride), GuardAction.of(spec.output().action()));
    }
    GuardrailProcessor.AnomalyGuard anomaly = null;
    if (spec.anomaly() != null) {
      anomaly = anomaly(policy, spec.anomaly());
    }
    if (errors > 0) {
      return null;
    }
    if (injection != null || output != null || (anomaly != null && anomaly.embedder() != null)) {
      runtime.warmUp();
    }
    return new GuardrailProcessor(policy, MessageScope.of(spec.messages()), injection, pii, output, anomaly,
        runtime.observer());
  }

  private GuardrailProcessor.InjectionGuard injection(GuardrailSpec.Injection spec, Entry entry) {
    Supplier<SignatureSet> signatures = () -> DEFAULT_INJECTION_RULES;
    if (!spec.ruleFiles().isEmpty()) {
      List<Path> files = new ArrayList<>();
      for (String file : spec.ruleFiles()) {
        Path path = Path.of(file);
        files.add(path.isAbsolute() || entry.directory() == null ? path : entry.directory().resolve(path));
      }
      try {
        signatures = runtime.rules(DEFAULT_INJECTION_RULES, List.copyOf(files));
      } catch (RuleFileException e) {
        entry.error("guardrail.injection.ruleFiles", e.getMessage());
        return null;
      }
    }
    TextScorer detector;
    if (spec.signaturesOnly()) {
      double threshold = spec.threshold() == null ? SignatureScorer.DEFAULT_THRESHOLD : spec.threshold().doubleValue();
      detector = new SignatureScorer(TextNormaliser.shared(), signatures, threshold);
    } else {
      InjectionDetector shipped = new InjectionDetector(InjectionPreparer.with(signatures), runtime.embedder(),
          InjectionModel.shipped());
      detector = spec.threshold() == null ? shipped : rethreshold(shipped, spec.threshold().doubleValue());
    }
    return new GuardrailProcessor.InjectionGuard(detector, GuardAction.of(spec.action()));
  }

  /** The shipped detector deciding at another threshold (its scores are probabilities). */
  private static TextScorer rethreshold(TextScorer detector, double threshold) {
    return text -> {
      TextScorer.Scored scored = detector.score(text);
      return new TextScorer.Scored(scored.score(), scored.score() >= threshold, scored.signals());
    };
  }

  private GuardrailProcessor.PiiGuard pii(GuardrailSpec.Pii spec, Entry entry) {
    Map<PiiEntity, PiiAction> actions = new EnumMap<>(PiiEntity.class);
    PiiAction fallback = action(spec.action());
    for (PiiEntity entity : PiiEntity.values()) {
      if (fallback != null) {
        actions.put(entity, fallback);
      }
    }
    boolean valid = true;
    for (Map.Entry<String, String> named : spec.entities().entrySet()) {
      PiiEntity entity;
      try {
        entity = PiiEntity.valueOf(named.getKey());
      } catch (IllegalArgumentException e) {
        entry.error("guardrail.pii.entities." + named.getKey(), "unknown entity; one of "
            + String.join(", ", Arrays.stream(PiiEntity.values()).map(Enum::name).toList()));
        valid = false;
        continue;
      }
      PiiAction action = action(named.getValue());
      if (action == null) {
        actions.remove(entity);
      } else {
        actions.put(entity, action);
      }
    }
    List<String> regions = spec.regions().isEmpty() ? PiiPolicy.DEFAULT_PHONE_REGIONS
        : spec.regions().stream().map(r -> r.toUpperCase(Locale.ROOT)).toList();
    PiiRedactor redactor;
    try {
      redactor = new PiiRedactor(new PiiPolicy(actions, runtime.hashKey(), regions));
    } catch (IllegalArgumentException e) {
      entry.error("guardrail.pii.regions", e.getMessage());
      return null;
    }
    if (!valid) {
      return null;
    }
    boolean request = !spec.direction().equals("Response");
    boolean response = !spec.direction().equals("Request");
    return new GuardrailProcessor.PiiGuard(redactor, request, response);
  }

  /** {@code Redact}, {@code Mask}, {@code Hash}, {@code Block}; null for {@code Off}. */
  private static PiiAction action(String name) {
    return name.equals("Off") ? null : PiiAction.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private GuardrailProcessor.AnomalyGuard anomaly(String policy, GuardrailSpec.Anomaly spec) {
    Set<Signal> signals = EnumSet.noneOf(Signal.class);
    spec.signals().forEach(name -> signals.add(Signal.valueOf(name.toUpperCase(Locale.ROOT))));
    AnomalySettings settings = AnomalySettings.defaults().withSignals(signals).withMinHistory(spec.minHistory());
    if (spec.zThreshold() != null) {
      settings = settings.withZThreshold(spec.zThreshold().doubleValue());
    }
    boolean throttle = spec.action().equals("Throttle");
    return new GuardrailProcessor.AnomalyGuard(runtime.anomaly(policy, settings),
        signals.contains(Signal.DISTANCE) ? runtime.embedder() : null, throttle,
        throttle ? GuardAction.BLOCK : GuardAction.of(spec.action()));
  }
}
