package dev.aigis.core.processing.cel;

import dev.aigis.core.processing.MutableHeaders;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment of AccessPolicy and RateLimitPolicy expressions (rule {@code from.cel},
 * {@code key}, {@code trafficMatcher.celMatcher}, {@code costExpression}). They see:
 * <pre>
 *   identity          map   key (the key's name or JWT subject), name, team, groups, labels, claims,
 *                           kind ("ApiKey" | "Jwt"), provider; {} when nobody authenticated
 *   source.address    string  the client address (as trusted proxies reported it)
 *   request.headers   map(string, string)  lower-case names (also k8s.http.request.headers)
 *   request.method / request.path          (also k8s.http.request.method / .path)
 *   k8s.llm.model     string  the routed model, or ""
 *   route             string  namespace/name of the matched HTTPRoute, or ""
 *   usage             map(string, int)  input_tokens, output_tokens, cached_input_tokens,
 *                           reasoning_tokens, total_tokens: the estimate at admission, the
 *                           provider's report when the exchange completes
 * </pre>
 * They never see bodies, so their inputs are small; each evaluation is still charged against a
 * budget (and loops are capped), so an expression over a large header or claim cannot stall the
 * event loop it runs on.
 */
public final class PolicyExpressions {

  /** What a compiled expression must produce. */
  public enum Result { BOOL, STRING, NUMBER }

  private static final long BUDGET = 200_000;
  private static final int MAX_ITERATIONS = 1_000;

  private static final PolicyExpressions INSTANCE = new PolicyExpressions();

  private final CelCompiler compiler;
  private final CelRuntime runtime;

  private PolicyExpressions() {
    CelOptions options = CelOptions.current()
        .comprehensionMaxIterations(MAX_ITERATIONS)
        .maxExpressionCodePointSize(4_096)
        .maxRegexProgramSize(10_000)
        .build();
    var headers = MapType.create(SimpleType.STRING, SimpleType.STRING);
    this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("identity", MapType.create(SimpleType.STRING, SimpleType.DYN))
        .addVar("source.address", SimpleType.STRING)
        .addVar("request.headers", headers)
        .addVar("request.method", SimpleType.STRING)
        .addVar("request.path", SimpleType.STRING)
        .addVar("k8s.http.request.headers", headers)
        .addVar("k8s.http.request.method", SimpleType.STRING)
        .addVar("k8s.http.request.path", SimpleType.STRING)
        .addVar("k8s.llm.model", SimpleType.STRING)
        .addVar("route", SimpleType.STRING)
        .addVar("usage", MapType.create(SimpleType.STRING, SimpleType.INT))
        .build();
    this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).build();
  }

  public static PolicyExpressions standard() {
    return INSTANCE;
  }

  /** A compiled expression, or the reason it does not compile. */
  public record Compiled(Expression expression, String error) {}

  /** Compiles once, when configuration loads; the error reads "column 5: undeclared reference to 'x'". */
  public Compiled compile(String text, Result result) {
    CelValidationResult validation = compiler.compile(text);
    if (validation.hasError()) {
      StringBuilder message = new StringBuilder();
      for (CelIssue issue : validation.getErrors()) {
        if (!message.isEmpty()) {
          message.append("; ");
        }
        message.append(CelProcessorFactory.describe(issue));
      }
      return new Compiled(null, message.toString());
    }
    try {
      CelAbstractSyntaxTree ast = validation.getAst();
      CelKind kind = ast.getResultType().kind();
      boolean fits = kind == CelKind.DYN || switch (result) {
        case BOOL -> kind == CelKind.BOOL;
        case STRING -> kind == CelKind.STRING;
        case NUMBER -> kind == CelKind.INT || kind == CelKind.UINT || kind == CelKind.DOUBLE;
      };
      if (!fits) {
        return new Compiled(null, "must give a " + result.name().toLowerCase(java.util.Locale.ROOT)
            + ", but gives " + ast.getResultType().name());
      }
      return new Compiled(new Expression(text, BudgetedProgram.of(runtime.createProgram(ast), ast)), null);
    } catch (CelValidationException | CelEvaluationException e) {
      return new Compiled(null, e.getMessage());
    }
  }

  /** The variables of one evaluation; build with {@link #variables()}. */
  public static final class Variables {
    private final Map<String, Object> values = new HashMap<>(16);
    /** Headers turn into a map only when an expression reads them: most policies key on identity. */
    private MutableHeaders headers;
    private Map<String, String> headerMap;

    private Variables() {
      values.put("identity", Map.of());
      values.put("source.address", "");
      values.put("k8s.llm.model", "");
      values.put("route", "");
      values.put("usage", Map.of());
      request(null, "", "");
    }

    public Variables identity(Map<String, Object> identity) {
      values.put("identity", identity == null ? Map.of() : identity);
      return this;
    }

    public Variables sourceAddress(String address) {
      values.put("source.address", address == null ? "" : address);
      return this;
    }

    public Variables request(MutableHeaders headers, String method, String path) {
      this.headers = headers;
      this.headerMap = null;
      values.put("request.method", method == null ? "" : method);
      values.put("k8s.http.request.method", method == null ? "" : method);
      values.put("request.path", path == null ? "" : path);
      values.put("k8s.http.request.path", path == null ? "" : path);
      return this;
    }

    public Variables model(String model) {
      values.put("k8s.llm.model", model == null ? "" : model);
      return this;
    }

    public Variables route(String route) {
      values.put("route", route == null ? "" : route);
      return this;
    }

    /**
     * Takes the headers' values now, for evaluations after the exchange moved on (a completion
     * hook): the headers object belongs to the exchange.
     */
    public Variables detach() {
      headerMap();
      headers = null;
      return this;
    }

    private Map<String, String> headerMap() {
      if (headerMap == null) {
        headerMap = headers == null ? Map.of() : CelValues.headers(headers);
      }
      return headerMap;
    }

    Object resolve(String name) {
      if (name.equals("request.headers") || name.equals("k8s.http.request.headers")) {
        return headerMap();
      }
      return values.get(name);
    }

    /** Token counts by name: input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens. */
    public Variables usage(long input, long output, long cachedInput, long reasoning) {
      values.put("usage", Map.of("input_tokens", input, "output_tokens", output, "cached_input_tokens", cachedInput,
          "reasoning_tokens", reasoning, "total_tokens", input + output));
      return this;
    }
  }

  public static Variables variables() {
    return new Variables();
  }

  /** One compiled policy expression; immutable and shared. */
  public static final class Expression {
    private final String text;
    private final BudgetedProgram program;

    private Expression(String text, BudgetedProgram program) {
      this.text = text;
      this.program = program;
    }

    /** @throws PolicyExpressionException when evaluation fails (a missing key, the budget, a type error) */
    public Object evaluate(Variables variables) {
      try {
        return program.eval(name -> Optional.ofNullable(variables.resolve(name)), EvaluationBudget.of(BUDGET));
      } catch (CelEvaluationException | EvaluationBudget.Exceeded e) {
        throw new PolicyExpressionException(text, e.getMessage());
      }
    }

    public boolean test(Variables variables) {
      return evaluate(variables) instanceof Boolean b && b;
    }

    /** The value as a string (numbers and booleans printed). */
    public String string(Variables variables) {
      return String.valueOf(evaluate(variables));
    }

    /** The value as a number; a non-number fails. */
    public double number(Variables variables) {
      Object value = evaluate(variables);
      return switch (value) {
        case Long l -> l;
        case Double d -> d;
        case Integer i -> i;
        case dev.cel.common.values.NullValue n -> throw new PolicyExpressionException(text, "gave null, not a number");
        default -> {
          if (value instanceof com.google.common.primitives.UnsignedLong u) {
            yield u.doubleValue();
          }
          throw new PolicyExpressionException(text, "gave " + value.getClass().getSimpleName() + ", not a number");
        }
      };
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** An evaluation failed; the message names the expression, never the variables' values. */
  public static final class PolicyExpressionException extends RuntimeException {
    PolicyExpressionException(String expression, String detail) {
      super("expression '" + expression + "' failed: " + detail, null, false, false);
    }
  }


  /** Identity values as CEL reads them: ints as long, nested maps and lists converted. */
  public static Object celValue(Object value) {
    return switch (value) {
      case null -> dev.cel.common.values.NullValue.NULL_VALUE;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Float f -> (double) f;
      case Long l -> l;
      case Double d -> d;
      case Boolean b -> b;
      case String s -> s;
      case Map<?, ?> map -> {
        Map<String, Object> out = new HashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), celValue(v)));
        yield out;
      }
      case List<?> list -> list.stream().map(PolicyExpressions::celValue).toList();
      case java.util.Date date -> date.toInstant().toString();
      default -> value.toString();
    };
  }
}
