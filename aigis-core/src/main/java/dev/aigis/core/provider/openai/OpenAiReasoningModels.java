package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotReasoning;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * OpenAI's reasoning models (the o1, o3 and o4 series, the gpt-5 families) refuse {@code max_tokens}
 * with a 400 and take {@code max_completion_tokens} instead. One rule for every path to an OpenAI or
 * Azure OpenAI backend: the pivot translators rename it always, native passthrough only when the
 * client sent {@code max_tokens} to such a model (otherwise its bytes pass untouched).
 */
public final class OpenAiReasoningModels {

  /** A model name, possibly after an account or deployment prefix such as {@code openai/}. */
  private static final Pattern REASONING = Pattern.compile("(?:.*/)?(?:o[134](?:-.*)?|gpt-5(?:[.-].*)?)");

  private OpenAiReasoningModels() {}

  /** Whether {@code model} is a reasoning model that refuses {@code max_tokens}. */
  public static boolean refusesMaxTokens(String model) {
    return model != null && REASONING.matcher(model.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * The pivot as an OpenAI-family chat body: the pivot's Anthropic-shaped extensions, which
   * OpenAI's API refuses as unknown parameters, are taken out ({@code thinking}; assistant turns'
   * {@code reasoning_content} and {@code thinking_blocks}, which DeepSeek-style servers also refuse
   * as input); a thinking budget becomes {@code reasoning_effort} for a reasoning model (other
   * models refuse it); and {@code max_tokens} becomes {@code max_completion_tokens} for one.
   *
   * @param models the requested model and the backend's (an Azure deployment)
   */
  public static void fromPivot(ObjectNode body, String... models) {
    boolean reasoning = false;
    for (String model : models) {
      reasoning |= refusesMaxTokens(model);
    }
    if (reasoning && !body.hasNonNull("reasoning_effort")) {
      String effort = PivotReasoning.effort(body);
      if (effort != null) {
        body.put("reasoning_effort", effort);
      }
    }
    body.remove("thinking");
    for (JsonNode message : body.path("messages")) {
      if (message instanceof ObjectNode m && "assistant".equals(m.path("role").asText())) {
        m.remove("reasoning_content");
        m.remove("thinking_blocks");
      }
    }
    useMaxCompletionTokens(body, models);
  }

  /**
   * A native OpenAI chat body for {@code model}: the same bytes unless it is a reasoning model and
   * the body has {@code max_tokens}, which is then renamed. Only reasoning models' bodies are parsed.
   */
  public static byte[] nativeBody(byte[] body, String model) {
    if (!refusesMaxTokens(model)) {
      return body;
    }
    try {
      if (Json.MAPPER.readTree(body) instanceof ObjectNode tree && useMaxCompletionTokens(tree, model)) {
        return Json.MAPPER.writeValueAsBytes(tree);
      }
    } catch (IOException e) {
      // not JSON after all: the backend answers it as it would have
    }
    return body;
  }

  /**
   * Renames {@code max_tokens} to {@code max_completion_tokens} in place when any of {@code models}
   * (the requested model, the backend's deployment) is a reasoning model; a
   * {@code max_completion_tokens} already there wins and {@code max_tokens} is dropped.
   *
   * @return whether the body changed
   */
  public static boolean useMaxCompletionTokens(ObjectNode body, String... models) {
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens == null) {
      return false;
    }
    for (String model : models) {
      if (refusesMaxTokens(model)) {
        body.remove("max_tokens");
        if (!body.hasNonNull("max_completion_tokens") && !maxTokens.isNull()) {
          body.set("max_completion_tokens", maxTokens);
        }
        return true;
      }
    }
    return false;
  }
}
