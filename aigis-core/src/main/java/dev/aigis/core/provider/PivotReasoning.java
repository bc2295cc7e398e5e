package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The pivot's reasoning extensions ({@code reasoning_effort}, {@code thinking},
 * {@code thinking_blocks}; docs/providers.md "The pivot and its extensions") read the one way every
 * translator needs them: as a thinking budget for Anthropic-family backends, as an effort for
 * OpenAI-family ones, and as signed blocks to send back in an assistant turn.
 */
public final class PivotReasoning {

  private PivotReasoning() {}

  /** Effort to budget where a side has only a budget: minimal/low 1024, medium 2048, high 4096. */
  public static int budgetOf(String effort) {
    return switch (effort) {
      case "medium" -> 2048;
      case "high" -> 4096;
      default -> 1024;
    };
  }

  /** Budget to effort where a side has only an effort: below 2048 low, below 4096 medium, else high. */
  public static String effortOf(int budget) {
    return budget < 2048 ? "low" : budget < 4096 ? "medium" : "high";
  }

  /**
   * The thinking budget asked for: {@code thinking.budget_tokens} when thinking is enabled, else
   * the {@code reasoning_effort}'s; null when neither asks for thinking ({@code thinking: disabled},
   * effort {@code none}, or nothing).
   */
  public static Integer budget(JsonNode pivot) {
    JsonNode thinking = pivot.get("thinking");
    if (thinking != null && thinking.isObject()) {
      String type = thinking.path("type").asText();
      if ("enabled".equals(type) && thinking.path("budget_tokens").canConvertToInt()) {
        return thinking.path("budget_tokens").asInt();
      }
      if ("disabled".equals(type)) {
        return null;
      }
    }
    String effort = pivot.path("reasoning_effort").asText(null);
    if (effort == null || effort.equals("none")) {
      return null;
    }
    return budgetOf(effort);
  }

  /** Whether the request turns thinking off explicitly ({@code thinking: {type: disabled}}). */
  public static boolean disabled(JsonNode pivot) {
    return "disabled".equals(pivot.path("thinking").path("type").asText());
  }

  /** The effort asked for: {@code reasoning_effort}, else the {@code thinking} budget's; null when none. */
  public static String effort(JsonNode pivot) {
    String effort = pivot.path("reasoning_effort").asText(null);
    if (effort != null) {
      return effort;
    }
    JsonNode thinking = pivot.path("thinking");
    if ("enabled".equals(thinking.path("type").asText()) && thinking.path("budget_tokens").canConvertToInt()) {
      return effortOf(thinking.path("budget_tokens").asInt());
    }
    return null;
  }

  /**
   * An assistant message's {@code thinking_blocks} as Anthropic blocks, in order: {@code thinking}
   * with its text and signature, {@code redacted_thinking} with its data. A thinking block without a
   * signature cannot be sent back (Anthropic verifies it) and is left out, as is
   * {@code reasoning_content} alone: reasoning from another provider has no signature.
   */
  public static List<ObjectNode> anthropicBlocks(JsonNode assistant) {
    List<ObjectNode> blocks = new ArrayList<>();
    for (JsonNode block : assistant.path("thinking_blocks")) {
      String type = block.path("type").asText();
      String signature = block.path("signature").asText("");
      if ("thinking".equals(type) && !signature.isEmpty()) {
        blocks.add(Json.MAPPER.createObjectNode().put("type", "thinking")
            .put("thinking", block.path("thinking").asText("")).put("signature", signature));
      } else if ("redacted_thinking".equals(type) && block.path("data").isTextual()) {
        blocks.add(Json.MAPPER.createObjectNode().put("type", "redacted_thinking")
            .put("data", block.path("data").asText()));
      }
    }
    return blocks;
  }
}
