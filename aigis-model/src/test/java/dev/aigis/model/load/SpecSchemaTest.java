package dev.aigis.model.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aigis.model.processing.ProcessorTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The spec schemas are the readers': every aigis.dev document the loader (and, for processors, their
 * type's validation) accepts anywhere in the repository (examples, deploy/, resources, the YAML blocks of docs/ and the text blocks of every test)
 * fits its kind's schema, and what the schema refuses in such a document (an unknown field, a wrong
 * type, a value outside an enum, a missing required field) the loader refuses too.
 */
class SpecSchemaTest {

  static final Path ROOT = Path.of("..");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final List<String> AIGIS_KINDS = List.of("AIBackend", "PayloadProcessor", "AccessPolicy", "RateLimitPolicy",
      "PriceCatalog", "EgressPolicy", "KnowledgeBase");

  @Test
  void everyAigisKindHasASchema() {
    assertThat(SpecSchema.kinds()).containsExactlyInAnyOrderElementsOf(AIGIS_KINDS);
    assertThatThrownBy(() -> SpecSchema.of("HTTPRoute")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSchemaHasTheReadersFieldsTypesEnumsAndRequiredFields() {
    JsonNode backend = SpecSchema.of("AIBackend");
    assertThat(backend.path("required")).containsExactly(YAML.getNodeFactory().textNode("schema"));
    // Required only in some cases: Gemini needs no endpoint, an AWSBedrock secretRef no key.
    assertThat(backend.at("/properties/credentials/properties/secretRef/required").toString()).isEqualTo("[\"name\"]");
    assertThat(backend.at("/properties/endpoint/required").isMissingNode()).isTrue();
    assertThat(backend.at("/properties/timeouts/properties/connect/pattern").asText())
        .isEqualTo(dev.aigis.model.Durations.SYNTAX);

    JsonNode processor = SpecSchema.of("PayloadProcessor").at("/properties/processors/items");
    assertThat(processor.at("/properties/type/enum")).extracting(JsonNode::asText)
        .containsExactlyElementsOf(ProcessorTypes.BUILT_IN.names());
    for (var type : ProcessorTypes.BUILT_IN.all()) {
      assertThat(processor.at("/properties/" + type.block() + "/properties").properties())
          .extracting(Map.Entry::getKey).containsExactlyElementsOf(type.fields());
    }
    assertThat(processor.at("/properties/guardrail/properties/injection/properties/threshold").toString())
        .isEqualTo("{\"type\":\"number\",\"minimum\":0.0,\"exclusiveMinimum\":true,\"maximum\":1.0}");
    assertThat(processor.at("/properties/retrieval/properties/minScore").toString())
        .isEqualTo("{\"type\":\"number\",\"minimum\":-1.0,\"maximum\":1.0}");

    JsonNode knowledge = SpecSchema.of("KnowledgeBase");
    assertThat(knowledge.at("/properties/retriever/properties/headers").toString())
        .isEqualTo("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
    assertThat(SpecSchema.of("EgressPolicy").toString()).contains(
        "\"allowedHostnames\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
  }

  @Test
  void aReaderThatAllowsAFieldItNeverReadsOrReadsOneFieldTwoWaysHasNoSchema() {
    assertThatThrownBy(() -> SpecSchema.explore((doc, metadata, source) -> {
      doc.requiredObject("spec", "a", "b").string("a");
      return null;
    })).hasMessage("spec.b is allowed but never read");
    assertThatThrownBy(() -> SpecSchema.explore((doc, metadata, source) -> {
      Fields spec = doc.requiredObject("spec", "a");
      spec.string("a");
      spec.integer("a");
      return null;
    })).hasMessageContaining("spec.a is read as");
  }

  @Test
  void everyDocumentTheLoaderAcceptsFitsItsKindsSchema() throws IOException {
    Map<String, Integer> checked = new TreeMap<>();
    for (Sample sample : accepted()) {
      assertThat(SchemaCheck.problems(SpecSchema.of(sample.kind()), sample.document().get("spec"), "spec"))
          .as("%s in %s", sample.kind(), sample.source()).isEmpty();
      checked.merge(sample.kind(), 1, Integer::sum);
    }
    assertThat(checked.keySet()).as("documents checked per kind: %s", checked).containsExactlyInAnyOrderElementsOf(AIGIS_KINDS);
    assertThat(checked.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(100);
  }

  @Test
  void whatTheSchemaRefusesInAnAcceptedDocumentTheLoaderRefusesToo() throws IOException {
    int mutations = 0;
    for (Sample sample : accepted()) {
      JsonNode schema = SpecSchema.of(sample.kind());
      for (ObjectNode mutated : mutations(sample.document(), schema)) {
        assertThat(SchemaCheck.problems(schema, mutated.get("spec"), "spec")).as("%s", mutated).isNotEmpty();
        assertThat(ConfigLoader.loadTree(sample.source(), mutated).ok())
            .as("the loader accepts what the schema refuses: %s (from %s)", mutated, sample.source()).isFalse();
        mutations++;
      }
    }
    assertThat(mutations).isGreaterThan(1000);
  }

  record Sample(String kind, String source, ObjectNode document) {}

  /** Each spec node, changed once in each way the schema refuses; nulls and CEL-only rules are left alone. */
  private static List<ObjectNode> mutations(ObjectNode document, JsonNode specSchema) {
    List<ObjectNode> out = new ArrayList<>();
    walk(document, specSchema, List.of("spec"), out);
    return out;
  }

  private static void walk(ObjectNode document, JsonNode schema, List<String> at, List<ObjectNode> out) {
    JsonNode value = get(document, at);
    String type = schema.path("type").asText();
    out.add(changed(document, at, parent -> set(parent, at, type.equals("string") ? YAML.getNodeFactory().numberNode(7)
        : YAML.getNodeFactory().textNode("seven"))));
    if (schema.has("enum")) {
      out.add(changed(document, at, parent -> set(parent, at, YAML.getNodeFactory().textNode("NotAValue"))));
    }
    if (value.isObject() && !schema.has("additionalProperties")) {
      out.add(changed(document, at, parent -> ((ObjectNode) get(parent, at)).put("notAField", "x")));
      for (JsonNode required : schema.path("required")) {
        out.add(changed(document, at, parent -> ((ObjectNode) get(parent, at)).remove(required.asText())));
      }
      value.properties().forEach(field -> {
        if (!field.getValue().isNull()) {
          walk(document, schema.get("properties").get(field.getKey()), append(at, field.getKey()), out);
        }
      });
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        walk(document, schema.get("items"), append(at, String.valueOf(i)), out);
      }
    }
  }

  private static List<String> append(List<String> at, String step) {
    List<String> next = new ArrayList<>(at);
    next.add(step);
    return next;
  }

  private static JsonNode get(JsonNode node, List<String> at) {
    JsonNode current = node;
    for (String step : at) {
      current = current.isArray() ? current.get(Integer.parseInt(step)) : current.get(step);
    }
    return current;
  }

  private static void set(JsonNode root, List<String> at, JsonNode value) {
    JsonNode parent = get(root, at.subList(0, at.size() - 1));
    String last = at.getLast();
    if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }

  private static ObjectNode changed(ObjectNode document, List<String> at, Consumer<ObjectNode> change) {
    ObjectNode copy = document.deepCopy();
    change.accept(copy);
    return copy;
  }

  /** Every aigis.dev document in the repository that the loader reads without an error. */
  static List<Sample> accepted() throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (Map.Entry<String, String> text : texts().entrySet()) {
      List<JsonNode> documents = new ArrayList<>();
      try (var parser = YAML.createParser(text.getValue())) {
        YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
      } catch (RuntimeException | IOException e) {
        continue; // not YAML (a template with placeholders, a fragment): nothing to check
      }
      for (JsonNode document : documents) {
        if (document instanceof ObjectNode object && AIGIS_KINDS.contains(object.path("kind").asText())
            && object.path("apiVersion").asText().startsWith("aigis.dev/")
            && accepts(text.getKey(), object)) {
          samples.add(new Sample(object.get("kind").asText(), text.getKey(), object));
        }
      }
    }
    return samples;
  }

  /**
   * Whether Aigis takes the document on its own: the loader reads it and, for a PayloadProcessor, each
   * processor type's validation passes (ranges are checked there, where the schema's bounds come from).
   */
  private static boolean accepts(String source, ObjectNode document) {
    ConfigLoader.LoadResult result = ConfigLoader.loadTree(source, document);
    if (!result.ok()) {
      return false;
    }
    List<String> errors = new ArrayList<>();
    if (result.resources().getFirst() instanceof dev.aigis.model.PayloadProcessor processor) {
      processor.processors().forEach(spec ->
          ProcessorTypes.BUILT_IN.validate(spec.config(), (field, message) -> errors.add(field + ": " + message)));
    }
    return errors.isEmpty();
  }

  private static final Pattern MARKDOWN_YAML = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"\\n(.*?)\"\"\"", Pattern.DOTALL);

  /** Source → YAML text: whole YAML files, the yaml blocks of Markdown files, the text blocks of tests. */
  private static Map<String, String> texts() throws IOException {
    Map<String, String> texts = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROOT)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")
              && !p.toString().contains("/node_modules/"))
          .toList();
    }
    for (Path file : files) {
      String name = file.toString();
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        if (!name.contains("/helm/") && !name.contains("/crds/")) {
          texts.put(name, Files.readString(file));
        }
      } else if (name.endsWith(".md")) {
        collect(texts, name, MARKDOWN_YAML.matcher(Files.readString(file)));
      } else if (name.endsWith(".java") && name.contains("/src/test/")) {
        collect(texts, name, TEXT_BLOCK.matcher(Files.readString(file)));
      }
    }
    return texts;
  }

  private static void collect(Map<String, String> texts, String name, Matcher blocks) {
    int index = 0;
    while (blocks.find()) {
      String block = blocks.group(1);
      if (block.contains("aigis.dev/")) {
        texts.put(name + "#" + index++, dedent(block));
      }
    }
  }

  /** A Java text block's content without its common indentation, as the compiler would strip it. */
  private static String dedent(String block) {
    int indent = block.lines().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    block.lines().forEach(line -> out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n'));
    return out.toString();
  }
}
