package dev.aigis.core.processing.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.aigis.core.json.Json;
import org.junit.jupiter.api.Test;

class JsonPathTest {

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void setCreatesIntermediateObjectsAndReplacesValues() throws Exception {
    JsonNode body = json("{'model':'a','messages':[{'role':'user'}]}");

    JsonPath.parse("$.metadata.user").set(body, TextNode.valueOf("u1"));
    JsonPath.parse("$['model']").set(body, TextNode.valueOf("b"));
    JsonPath.parse("$.messages[0].role").set(body, TextNode.valueOf("system"));
    JsonPath.parse("$[\"odd.name\"]").set(body, TextNode.valueOf("x"));

    assertThat(body).isEqualTo(json(
        "{'model':'b','messages':[{'role':'system'}],'metadata':{'user':'u1'},'odd.name':'x'}"));
  }

  @Test
  void setAppendsAtTheEndOfAnArrayAndRejectsGapsAndWrongKinds() throws Exception {
    JsonNode body = json("{'list':[1],'text':'t'}");

    JsonPath.parse("$.list[1]").set(body, TextNode.valueOf("2"));

    assertThat(body.get("list")).isEqualTo(json("[1,'2']"));
    assertThatThrownBy(() -> JsonPath.parse("$.list[5]").set(body, TextNode.valueOf("x")))
        .hasMessageContaining("beyond the end");
    assertThatThrownBy(() -> JsonPath.parse("$.text.inner").set(body, TextNode.valueOf("x")))
        .hasMessageContaining("$['text'] is not an object");
  }

  @Test
  void removeIsANoOpWhenAbsent() throws Exception {
    JsonNode body = json("{'a':{'b':1,'c':2},'l':[1,2]}");

    JsonPath.parse("$.a.b").remove(body);
    JsonPath.parse("$.missing.deeper").remove(body);
    JsonPath.parse("$.l[7]").remove(body);
    JsonPath.parse("$.l[0]").remove(body);

    assertThat(body).isEqualTo(json("{'a':{'c':2},'l':[2]}"));
  }

  @Test
  void unsupportedSyntaxIsRejectedWithTheConfigurationGrammarsMessages() {
    for (String path : new String[] {"a.b", "$", "$.a[*]", "$..a", "$['a'", "$.a[-1]"}) {
      assertThatThrownBy(() -> JsonPath.parse(path)).as(path)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid JSONPath \"" + path + "\": ");
    }
  }

}
