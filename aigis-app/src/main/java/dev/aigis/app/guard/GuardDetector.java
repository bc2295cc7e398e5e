package dev.aigis.app.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.guard.TextScorer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One detector {@code aigis guard eval --detector NAME} can measure.
 *
 * @param name the {@code --detector} value
 * @param scorer builds the detector with its shipped settings (loading models takes a moment, so
 *     only the chosen detector is built)
 * @param label a JSONL row's true label, 1 or 0 (for {@code injection} and {@code output} the
 *     row's {@code label}; for {@code pii} whether it holds an entity the detector covers)
 * @param extra further figures over all rows (PII: per-entity recall and checksum false accepts),
 *     printed after the common ones and added to the {@code --json} object; empty when none
 */
public record GuardDetector(
    String name,
    Supplier<TextScorer> scorer,
    ToIntFunction<JsonNode> label,
    Function<List<JsonNode>, Map<String, Object>> extra) {}
