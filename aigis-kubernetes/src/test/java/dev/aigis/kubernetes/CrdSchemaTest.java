package dev.aigis.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aigis.model.load.ConfigLoader;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The aigis.dev CRDs are structural (the API server refuses a CRD that is not) and their CEL rules
 * agree with the readers: each rule compiles, holds for every aigis.dev document of examples/, deploy/
 * and docs/ that the loader accepts, and is broken by a document the loader refuses for the same reason.
 */
class CrdSchemaTest {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addVar("self", SimpleType.DYN).build();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** The keys a structural schema node may carry here (a subset of what Kubernetes allows). */
  static final Set<String> KEYS = Set.of("type", "format", "properties", "required", "items", "additionalProperties",
      "enum", "pattern", "maxLength", "maxItems", "minimum", "exclusiveMinimum", "maximum", "x-kubernetes-validations",
      "x-kubernetes-preserve-unknown-fields",
      "x-kubernetes-list-type", "x-kubernetes-list-map-keys");

  @Test
  void theAigisCrdsAreStructuralWithATypedSpec() throws IOException {
    for (CustomResourceDefinition crd : Crds.aigis()) {
      // As kubectl would send it: fabric8 writes items and additionalProperties in their own way.
      JsonNode root = JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(
          crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema()));
      List<String> problems = new ArrayList<>();
      structural(root, crd.getSpec().getNames().getKind(), problems);
      assertThat(problems).isEmpty();
      JsonNode spec = root.at("/properties/spec");
      assertThat(spec.has("x-kubernetes-preserve-unknown-fields")).as(crd.getSpec().getNames().getKind()).isFalse();
      assertThat(spec.path("properties").size()).as(crd.getSpec().getNames().getKind()).isPositive();
    }
  }

  private static void structural(JsonNode node, String at, List<String> problems) {
    node.fieldNames().forEachRemaining(key -> {
      if (!KEYS.contains(key)) {
        problems.add(at + ": " + key + " is not used in these schemas");
      }
    });
    if (!node.has("type") && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      problems.add(at + ": no type");
    }
    if (node.has("properties") && node.has("additionalProperties")) {
      problems.add(at + ": properties and additionalProperties together");
    }
    if (node.path("type").asText().equals("array") && !node.has("items")) {
      problems.add(at + ": an array without items");
    }
    node.path("properties").properties().forEach(field -> structural(field.getValue(), at + "." + field.getKey(), problems));
    if (node.has("items")) {
      structural(node.get("items"), at + "[]", problems);
    }
    if (node.path("additionalProperties").isObject()) {
      structural(node.get("additionalProperties"), at + "{}", problems);
    }
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      if (!CEL.compile(rule.path("rule").asText()).getAllIssues().isEmpty()) {
        problems.add(at + ": CEL rule does not compile: " + rule.path("rule").asText());
      }
      // The API server type-checks rules against the schema: a field it lacks fails the whole CRD.
      Matcher field = SELF_FIELD.matcher(rule.path("rule").asText());
      while (field.find()) {
        if (!node.path("properties").has(field.group(1))) {
          problems.add(at + ": CEL rule names " + field.group() + ", which the schema lacks");
        }
      }
    }
  }

  @Test
  void everyRuleHoldsForEveryDocumentTheLoaderAccepts() throws Exception {
    int evaluated = 0;
    for (JsonNode document : documents()) {
      if (ConfigLoader.loadTree("sample", document).ok()) {
        for (Map.Entry<String, List<ValidationRule>> rules : CrdRules.of(document.get("kind").asText()).entrySet()) {
          for (JsonNode self : nodes(document.get("spec"), rules.getKey())) {
            for (ValidationRule rule : rules.getValue()) {
              assertThat(holds(rule, self)).as("%s on %s", rule.getRule(), self).isTrue();
              evaluated++;
            }
          }
        }
      }
    }
    assertThat(evaluated).isGreaterThan(50);
  }

  @Test
  void eachRuleRefusesWhatTheReadersRefuse() throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("set exactly one of sources or retriever", """
        kind: KnowledgeBase
        spec: {sources: [{path: docs}], retriever: {url: "https://r.example/search"}}""");
    cases.put("chunking has no effect with a retriever (the retriever returns chunks)", """
        kind: KnowledgeBase
        spec: {retriever: {url: "https://r.example/search"}, chunking: {maxChars: 500}}""");
    cases.put("set exactly one of path or configMapRef", """
        kind: KnowledgeBase
        spec: {sources: [{path: docs, configMapRef: {name: faq}}]}""");
    cases.put("retrieval is set exactly when type is Retrieval", """
        kind: PayloadProcessor
        spec: {targetRef: {kind: HTTPRoute, name: r}, processors: [{name: g, type: Guardrail, guardrail: {}, retrieval: {knowledgeBase: kb}}]}""");
    cases.put("guardrail is set exactly when type is Guardrail", """
        kind: PayloadProcessor
        spec: {targetRef: {kind: HTTPRoute, name: r}, processors: [{name: g, type: Guardrail}]}""");
    cases.put("set exactly one of url, host (with port and tls) or builtin", """
        kind: AIBackend
        spec: {schema: OpenAI, endpoint: {url: "https://api.example", builtin: Echo}}""");
    cases.put("set exactly one of secretRef or env", """
        kind: AIBackend
        spec: {schema: OpenAI, endpoint: {builtin: Echo}, credentials: {env: KEY, secretRef: {name: s, key: k}}}""");
    cases.put("set exactly one of endpoint or backendRef", """
        kind: AIBackend
        spec: {schema: OpenAI, endpoint: {builtin: Echo}, backendRef: {group: gateway.networking.x-k8s.io, kind: XBackend, name: b}}""");
    cases.put("set exactly one of model or modelPrefix", """
        kind: PriceCatalog
        spec: {prices: [{model: a, modelPrefix: a, input: 1, output: 2}]}""");
    cases.put("set apiKeys, jwt or both: a policy accepting no credential admits no one", """
        kind: AccessPolicy
        spec: {targetRef: {kind: Gateway, name: gw}, authentication: {}, rules: [{name: all, action: Allow}]}""");
    cases.put("set exactly one of file or url", """
        kind: AccessPolicy
        spec: {targetRef: {kind: Gateway, name: gw}, rules: [{name: all, action: Allow}],
          authentication: {jwt: {providers: [{name: idp, issuer: i, jwks: {file: /k.json, url: "https://idp/k"}}]}}}""");
    for (Map.Entry<String, String> test : cases.entrySet()) {
      JsonNode document = YAML.readTree("apiVersion: aigis.dev/v1alpha1\nmetadata: {name: x}\n" + test.getValue());
      assertThat(ConfigLoader.loadTree("case", document).ok()).as("the loader refuses: %s", test.getKey()).isFalse();
      boolean broken = false;
      for (Map.Entry<String, List<ValidationRule>> rules : CrdRules.of(document.get("kind").asText()).entrySet()) {
        for (JsonNode self : nodes(document.get("spec"), rules.getKey())) {
          for (ValidationRule rule : rules.getValue()) {
            if (!holds(rule, self)) {
              assertThat(rule.getMessage()).as("only the rule under test is broken").isEqualTo(test.getKey());
              broken = true;
            }
          }
        }
      }
      assertThat(broken).as("a rule refuses: %s", test.getKey()).isTrue();
    }
  }

  private static boolean holds(ValidationRule rule, JsonNode self) throws Exception {
    CelAbstractSyntaxTree ast = CEL.compile(rule.getRule()).getAst();
    return (Boolean) RUNTIME.createProgram(ast).eval(Map.of("self", JSON.convertValue(self, Object.class)));
  }

  /** The nodes at {@code path} under {@code spec} ({@code []}: each element); none when a step is absent. */
  private static List<JsonNode> nodes(JsonNode spec, String path) {
    List<JsonNode> nodes = new ArrayList<>(List.of(spec));
    if (!path.isEmpty()) {
      for (String step : path.split("\\.")) {
        boolean each = step.endsWith("[]");
        String field = each ? step.substring(0, step.length() - 2) : step;
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode node : nodes) {
          JsonNode child = node.get(field);
          if (child != null && !child.isNull()) {
            if (each) {
              child.forEach(next::add);
            } else {
              next.add(child);
            }
          }
        }
        nodes = next;
      }
    }
    return nodes;
  }

  private static final Pattern SELF_FIELD = Pattern.compile("self\\.(\\w+)");
  private static final Pattern MARKDOWN_YAML = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);

  /** The aigis.dev documents of examples/, deploy/examples/ and the YAML blocks of docs/. */
  static List<JsonNode> documents() throws IOException {
    Path root = Path.of("..");
    List<String> texts = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Stream.of("examples", "deploy/examples", "docs")
        .flatMap(dir -> {
          try {
            return Files.walk(root.resolve(dir));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      if (file.toString().endsWith(".yaml")) {
        texts.add(Files.readString(file));
      } else if (file.toString().endsWith(".md")) {
        Matcher blocks = MARKDOWN_YAML.matcher(Files.readString(file));
        while (blocks.find()) {
          texts.add(blocks.group(1));
        }
      }
    }
    List<JsonNode> documents = new ArrayList<>();
    for (String text : texts) {
      List<JsonNode> parsed = new ArrayList<>();
      try (var parser = YAML.createParser(text)) {
        YAML.readValues(parser, JsonNode.class).forEachRemaining(parsed::add);
      } catch (RuntimeException | IOException e) {
        continue; // a fragment or a template: not a document
      }
      parsed.stream().filter(d -> d != null && d.path("apiVersion").asText().startsWith("aigis.dev/")
          && d.path("spec").isObject()).forEach(documents::add);
    }
    return documents;
  }
}
