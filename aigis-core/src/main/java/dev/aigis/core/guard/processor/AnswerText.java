package dev.aigis.core.guard.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The visible text of an answer in the client's own wire format: what the Guardrail processor
 * reads and rewrites without knowing the client API (implemented over {@code dev.aigis.core.api.text}).
 */
public interface AnswerText {

  /** The texts of a whole answer body. */
  List<String> texts(ApiEndpoint endpoint, JsonNode body);

  /** The whole answer with every text replaced by {@code edit} of it. */
  JsonNode rewrite(ApiEndpoint endpoint, JsonNode body, UnaryOperator<String> edit);

  /** The text one SSE event adds to the answer, or null when it adds none. */
  String deltaText(ApiEndpoint endpoint, byte[] event);

  /** The same event carrying {@code text} instead. */
  byte[] withDeltaText(ApiEndpoint endpoint, byte[] event, String text);

  /** Events that repeat the text so far (Responses {@code *.done}, {@code response.completed}) with it edited; others unchanged. */
  byte[] rewriteWholeTexts(ApiEndpoint endpoint, byte[] event, UnaryOperator<String> edit);
}
