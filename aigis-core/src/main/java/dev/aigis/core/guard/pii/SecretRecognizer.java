package dev.aigis.core.guard.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.aigis.core.json.Json;
import java.util.Base64;
import java.util.List;

/**
 * Credentials by their published prefixes: AWS access key ids ({@code AKIA}/{@code ASIA} and 16
 * upper-case letters or digits), GitHub tokens ({@code ghp_ gho_ ghu_ ghs_ ghr_} and
 * {@code github_pat_}), OpenAI keys ({@code sk-}, {@code sk-proj-}, ...), and JWTs, whose first
 * part must decode to a JSON object with an {@code alg}.
 */
final class SecretRecognizer implements Recognizer {

  /** @param prefixes literals one of which every match holds: a cheap test before the pattern runs */
  private record Rule(PiiEntity entity, List<String> prefixes, Pattern pattern) {}

  private static final List<Rule> RULES = List.of(
      new Rule(PiiEntity.AWS_ACCESS_KEY, List.of("AKIA", "ASIA"), Pattern.compile("(?:AKIA|ASIA)[A-Z0-9]{16}")),
      new Rule(PiiEntity.GITHUB_TOKEN, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), Pattern.compile("gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244}")),
      new Rule(PiiEntity.OPENAI_KEY, List.of("sk-"), Pattern.compile("sk-[A-Za-z0-9_\\-]{20,253}")),
      new Rule(PiiEntity.JWT, List.of("eyJ"), Pattern.compile("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*")));

  private final List<Rule> rules;

  SecretRecognizer(java.util.Set<PiiEntity> enabled) {
    this.rules = RULES.stream().filter(r -> enabled.contains(r.entity())).toList();
  }

  @Override
  public void find(String text, List<PiiMatch> out) {
    for (Rule rule : rules) {
      if (rule.prefixes().stream().noneMatch(text::contains)) {
        continue;
      }
      Matcher m = rule.pattern().matcher(text);
      while (m.find()) {
        if (alone(text, m.start(), m.end()) && (rule.entity() != PiiEntity.JWT || jwtHeader(text, m.start()))) {
          out.add(new PiiMatch(rule.entity(), m.start(), m.end()));
        }
      }
    }
  }

  private static boolean alone(String text, int start, int end) {
    return (start == 0 || !tokenChar(text.charAt(start - 1))) && (end == text.length() || !tokenChar(text.charAt(end)));
  }

  private static boolean tokenChar(char c) {
    return Chars.isWordChar(c) || c == '-';
  }

  private static boolean jwtHeader(String text, int start) {
    int dot = text.indexOf('.', start);
    try {
      byte[] json = Base64.getUrlDecoder().decode(text.substring(start, dot));
      var header = Json.MAPPER.readTree(json);
      return header != null && header.isObject() && header.has("alg");
    } catch (RuntimeException | java.io.IOException e) {
      return false;
    }
  }
}
