package dev.aigis.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The cache's view of a pivot request (OpenAI chat form): the exact key, the semantic partition and
 * the question. Both keys are SHA-256 over a canonical JSON (object keys sorted at every level) of
 * the request without the fields that never change the answer ({@code stream},
 * {@code stream_options}, {@code user} and other bookkeeping), so a streamed and a plain request
 * share entries. The partition is the same hash with the last user message's content blanked:
 * everything a paraphrase must match exactly (model, system prompt, tools, sampling, earlier turns).
 */
public final class CacheKeys {

  /** Request fields that do not change the answer. */
  static final Set<String> IGNORED = Set.of("stream", "stream_options", "user", "metadata", "store", "service_tier",
      "safety_identifier", "prompt_cache_key", "prompt_cache_retention");

  /**
   * @param exactKey the exact tier's key
   * @param partition the semantic tier's partition
   * @param question the last user message's text, or null when the semantic tier cannot serve this
   *     request (no user message last, or a message with images or other non-text parts)
   */
  public record Keys(String exactKey, String partition, String question) {}

  private CacheKeys() {}

  /** Keys shared by every caller. */
  public static Keys of(ObjectNode pivot) {
    return of(pivot, "");
  }

  /**
   * @param scope who may share the answer ("" for everyone, else a caller or team key), mixed into
   *     both keys so that scopes never see each other's entries
   */
  public static Keys of(ObjectNode pivot, String scope) {
    ObjectNode request = canonical(pivot);
    // The scope goes before the JSON, which starts with '{': no request can produce another scope's key.
    String prefix = scope.isEmpty() ? "" : "scope:" + scope + "\n";
    String exact = sha256(prefix + request);
    JsonNode messages = request.path("messages");
    int last = lastUser(messages);
    String question = last < 0 ? null : dev.aigis.core.exchange.PivotTexts.textOnly(messages.get(last).get("content"));
    if (last >= 0) {
      ((ObjectNode) messages.get(last)).putNull("content");
    }
    return new Keys(exact, sha256(prefix + "partition:" + request), question == null || question.isBlank() ? null : question);
  }

  /** The index of the last message when it is a user message, else -1 (an assistant or tool turn is last). */
  private static int lastUser(JsonNode messages) {
    if (!messages.isArray() || messages.isEmpty()) {
      return -1;
    }
    int last = messages.size() - 1;
    return "user".equals(messages.get(last).path("role").asText()) ? last : -1;
  }

  /** A copy with keys sorted at every level and the ignored top-level fields removed. */
  static ObjectNode canonical(ObjectNode pivot) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    List<String> names = new ArrayList<>();
    pivot.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    for (String name : names) {
      if (!IGNORED.contains(name)) {
        out.set(name, sorted(pivot.get(name)));
      }
    }
    return out;
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      names.forEach(name -> out.set(name, sorted(node.get(name))));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(element -> out.add(sorted(element)));
      return out;
    }
    return node;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
