package dev.aigis.core.guard.signature;

import com.google.re2j.Pattern;
import dev.aigis.core.guard.text.NormalisedText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable set of signature rules with their patterns compiled once (RE2J: matching is linear
 * in the text, so no rule, shipped or user-written, can backtrack catastrophically).
 *
 * <p>{@link #scan} runs every enabled rule over each of the normalised texts; {@link #score}
 * combines the hits as independent evidence. Sets from several files {@link #merge} by rule id.
 * Thread-safe; {@link #scan} is blocking CPU work (with the shipped set, roughly 0.1 ms for
 * a 2 KB ordinary prompt and up to about 1 ms for one full of jailbreak vocabulary, see
 * {@code SignatureBenchmark}), so call it off the event loop. A {@link Prefilter} per pattern
 * skips patterns whose literal words are absent.
 */
public final class SignatureSet {

  /** The shipped prompt-injection and jailbreak rules. */
  public static final String INJECTION_RESOURCE = "guard/signatures/injection.yaml";

  private static final SignatureSet EMPTY = new SignatureSet(List.of());

  private final List<RuleFileParser.Compiled> rules;

  private SignatureSet(List<RuleFileParser.Compiled> rules) {
    this.rules = List.copyOf(rules);
  }

  public static SignatureSet empty() {
    return EMPTY;
  }

  /**
   * Parses rule-file text.
   *
   * @param source the name errors give, e.g. the file name
   */
  public static SignatureSet parse(String source, String yaml) throws RuleFileException {
    return new SignatureSet(RuleFileParser.parse(source, yaml));
  }

  /** Reads a rule file; errors name it as given. */
  public static SignatureSet load(Path file) throws RuleFileException {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RuleFileException(file.toString(), 0, null, null, "cannot read: " + e.getClass().getSimpleName());
    }
    return parse(file.toString(), yaml);
  }

  /** Reads a rule file from the class path, e.g. {@link #INJECTION_RESOURCE}. */
  public static SignatureSet resource(String name) throws RuleFileException {
    try (InputStream in = SignatureSet.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new RuleFileException(name, 0, null, null, "no such resource");
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RuleFileException(name, 0, null, null, "cannot read: " + e.getClass().getSimpleName());
    }
  }

  /** The shipped injection rules; a broken shipped file is a build defect, hence unchecked. */
  public static SignatureSet defaultInjection() {
    try {
      return resource(INJECTION_RESOURCE);
    } catch (RuleFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Later sets override earlier ones rule by rule: a rule whose id is already present replaces it
   * in place, a rule with weight 0 removes it (so a user file can switch a default rule off with
   * just {@code id}, {@code category} and {@code weight: 0}), other rules are appended.
   */
  public static SignatureSet merge(List<SignatureSet> sets) {
    Map<String, RuleFileParser.Compiled> byId = new LinkedHashMap<>();
    for (SignatureSet set : sets) {
      for (RuleFileParser.Compiled rule : set.rules) {
        if (rule.rule().disabled()) {
          byId.remove(rule.rule().id());
        } else {
          byId.put(rule.rule().id(), rule);
        }
      }
    }
    return new SignatureSet(new ArrayList<>(byId.values()));
  }

  public static SignatureSet merge(SignatureSet... sets) {
    return merge(List.of(sets));
  }

  /** The rules in file order, disabled ones (weight 0) included. */
  public List<SignatureRule> rules() {
    return rules.stream().map(RuleFileParser.Compiled::rule).toList();
  }

  /** One hit per enabled rule with a pattern that matches any of the texts, in rule order. */
  public List<SignatureHit> scan(NormalisedText text) {
    return scan(text.scanTexts());
  }

  /** As {@link #scan(NormalisedText)}, over texts already normalised. */
  public List<SignatureHit> scan(List<String> texts) {
    String[] lower = new String[texts.size()];
    for (int i = 0; i < lower.length; i++) {
      lower[i] = texts.get(i).toLowerCase(Locale.ROOT);
    }
    List<SignatureHit> hits = new ArrayList<>();
    for (RuleFileParser.Compiled compiled : rules) {
      SignatureRule rule = compiled.rule();
      if (!rule.disabled() && matches(compiled, texts, lower)) {
        hits.add(new SignatureHit(rule.id(), rule.category(), rule.weight()));
      }
    }
    return hits;
  }

  private static boolean matches(RuleFileParser.Compiled rule, List<String> texts, String[] lower) {
    List<Pattern> patterns = rule.patterns();
    for (int p = 0; p < patterns.size(); p++) {
      Prefilter prefilter = rule.prefilters().get(p);
      for (int t = 0; t < lower.length; t++) {
        if (prefilter.matches(patterns.get(p), texts.get(t), lower[t])) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code 1 − Π(1 − weight)} over distinct rules: independent pieces of evidence, each as sure as
   * its weight; two 0.5 rules give 0.75, one rule of weight 1 gives 1. Empty hits give 0.
   */
  public static double score(List<SignatureHit> hits) {
    Set<String> seen = new HashSet<>();
    double miss = 1;
    for (SignatureHit hit : hits) {
      if (seen.add(hit.ruleId())) {
        miss *= 1 - hit.weight();
      }
    }
    return 1 - miss;
  }
}
