package dev.aigis.model.processing;

import java.math.BigDecimal;
import java.util.List;

/**
 * {@code type: SemanticRoute}: chooses the route of a request by what it asks, before routing
 * ({@code PreRouting} only). Routes are described by example utterances (inline, in files, or a
 * description sentence); the request's text is embedded and classified against them, and the chosen
 * route's {@code target} is written to {@code header} (and to the body's {@code model} when
 * {@code rewriteModel}), where HTTPRoute matches find it. Example files are read, and examples
 * embedded, when the data plane compiles the processor.
 *
 * @param routes at least one; names unique
 * @param examplesFile optional JSONL file ({@code text}, {@code route}) holding examples of several
 *     routes at once; rows whose {@code route} is {@link #OUT_OF_SCOPE} are out-of-scope examples;
 *     relative to the configuration file's directory
 * @param outOfScope examples of requests no route should take; null for none
 * @param defaultTarget the target when no route is confident or the request is out of scope; null
 *     leaves the request as it came (its own model)
 * @param threshold the confidence (0..1) below which the default applies
 * @param neighbours how many nearest examples vote
 * @param header the request header the target is written to
 * @param rewriteModel also set the request body's {@code model} to the target
 * @param messages which text is classified: {@code LastUser} (default) or {@code AllUser} (every
 *     user turn, joined)
 */
public record SemanticRouteSpec(
    List<Route> routes, String examplesFile, Examples outOfScope, String defaultTarget, BigDecimal threshold,
    int neighbours, String header, boolean rewriteModel, String messages) implements ProcessorConfig {

  /** The {@code route} value of out-of-scope rows in an examples file. */
  public static final String OUT_OF_SCOPE = "oos";
  /** Route names that would be confused with the decisions the gateway reports. */
  public static final List<String> RESERVED_NAMES = List.of(OUT_OF_SCOPE, "default", "out_of_scope");
  public static final List<String> MESSAGES = List.of("LastUser", "AllUser");
  /**
   * Tuned on CLINC150 dev: the highest out-of-scope recall whose in-scope accuracy stays at least
   * 0.95 both with {@code split=train} as examples measured on {@code split=val} and in 5-fold
   * cross-validation over all dev rows; docs/semantic-parts/routing.md.
   */
  public static final BigDecimal DEFAULT_THRESHOLD = new BigDecimal("0.44");
  public static final int DEFAULT_NEIGHBOURS = 10;
  public static final String DEFAULT_HEADER = "X-Gateway-Model-Name";

  /**
   * One route.
   *
   * @param target the value written to the header (a model name an HTTPRoute matches on)
   * @param description a sentence describing the route; used as one more example
   * @param examplesFile plain lines, or JSONL with {@code text} (and optionally {@code route}: rows
   *     naming another route are skipped, so one file can serve several routes)
   */
  public record Route(String name, String target, String description, List<String> examples, String examplesFile) {}

  /** Examples inline and in a file (plain lines, or JSONL with {@code text}). */
  public record Examples(List<String> examples, String examplesFile) {}
}
