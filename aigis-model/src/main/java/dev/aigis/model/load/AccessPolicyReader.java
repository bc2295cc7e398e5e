package dev.aigis.model.load;

import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.policy.AccessRule;
import dev.aigis.model.policy.AccessRule.ModelMatch;
import dev.aigis.model.policy.Authentication;
import dev.aigis.model.policy.JwtProvider;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the spec of an aigis.dev/v1alpha1 AccessPolicy. A policy must accept some credential and
 * have at least one rule, and each rule must state its action: since an unmatched request is
 * denied, a policy missing any of these would refuse everything, which is never what was meant.
 */
final class AccessPolicyReader {

  private static final List<String> RULE = List.of("name", "from", "models", "action");
  private static final List<String> MODEL = List.of("type", "value");

  private AccessPolicyReader() {}

  static AccessPolicy read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "targetRef", "authentication", "rules");
    if (spec == null) {
      return null;
    }
    var targetRef = PolicyFields.targetRef(spec);
    Authentication authentication = authentication(spec.requiredObject("authentication", "apiKeys", "jwt"));
    Set<String> names = new HashSet<>();
    List<AccessRule> rules = spec.objects("rules", true, RULE, rule -> rule(rule, names));
    if (spec.emptyList("rules")) {
      spec.error("rules", "at least one rule is required: a request no rule allows is denied");
    }
    return new AccessPolicy(metadata, source, targetRef, authentication, rules);
  }

  private static Authentication authentication(Fields authentication) {
    if (authentication == null) {
      return null;
    }
    // apiKeys has no settings yet; writing the block (even {}) is what turns API keys on.
    boolean apiKeys = authentication.object("apiKeys") != null;
    List<JwtProvider> providers = List.of();
    Fields jwt = authentication.object("jwt", "providers");
    if (jwt != null) {
      Set<String> names = new HashSet<>();
      providers = jwt.objects("providers", true, JwtProviderReader.FIELDS, provider -> JwtProviderReader.read(provider, names));
      if (jwt.emptyList("providers")) {
        jwt.error("providers", "at least one provider is required");
      }
    }
    if (!apiKeys && jwt == null) {
      authentication.issues().add(authentication.path(),
          "set apiKeys, jwt or both: a policy accepting no credential admits no one");
    }
    return new Authentication(apiKeys, providers);
  }

  private static AccessRule rule(Fields rule, Set<String> names) {
    String name = PolicyFields.uniqueName(rule, "rule", names);
    AccessRule.From from = from(rule.object("from", "teams", "keys", "labels", "cel"));
    List<ModelMatch> models = rule.objects("models", false, MODEL, AccessPolicyReader::model);
    AccessRule.Action action = rule.choice("action", true, AccessRule.Action.values());
    return new AccessRule(name, from, models, action);
  }

  private static AccessRule.From from(Fields from) {
    if (from == null) {
      return null;
    }
    return new AccessRule.From(from.strings("teams"), from.strings("keys"), from.stringMap("labels"),
        PolicyFields.expression(from, "cel", false));
  }

  /** {@code type} defaults to Exact, as Gateway API's header and query matches do. */
  private static ModelMatch model(Fields model) {
    ModelMatch.Type type = model.choice("type", false, ModelMatch.Type.values());
    String value = model.requiredString("value");
    if ((model.has("type") && type == null) || value == null || value.isEmpty()) {
      return null;
    }
    type = type == null ? ModelMatch.Type.Exact : type;
    if (type == ModelMatch.Type.RegularExpression) {
      PolicyFields.regex(model, "value", value);
    }
    return new ModelMatch(type, value);
  }
}
