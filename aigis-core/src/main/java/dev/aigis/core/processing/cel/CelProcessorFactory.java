package dev.aigis.core.processing.cel;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.InProcessSpec;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelKind;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles an {@link InProcessSpec} into a CEL {@link Processor} when configuration loads; nothing
 * is parsed or type-checked per request. The {@link ProcessorFactory} of {@code type: InProcess}. Errors name the field relative to the processor entry
 * ({@code inProcess.request.setHeaders[0].value}) so the config layer can point at file and line.
 * The variables and functions expressions may use are listed in {@link CelDeclarations}.
 *
 * <p>Cost: CEL here has no static cost estimate, so expressions are bounded by their length at
 * compile time and at run time by a comprehension iteration budget per evaluation, a cost budget
 * per stage ({@link EvaluationBudget}) and a size cap on the values they give; exceeding any is a
 * runtime error, handled by the processor's failure mode. Expressions with comprehensions, and any
 * over a large body, run on the exchange's worker pool, where the processor's timeout also stops
 * them.
 *
 * <p>Thread-safe; build one and reuse it, since building the CEL environments is not cheap.
 */
public final class CelProcessorFactory implements ProcessorFactory<InProcessSpec> {

  /**
   * @param maxComprehensionIterations iterations allowed across all comprehensions ({@code map},
   *     {@code all}, {@code exists}, ...) of one expression evaluation
   * @param maxExpressionLength the longest expression accepted, in code points
   * @param maxEvaluationCost work allowed for one stage of a processor, all its expressions
   *     together, in units of about one character or element read or built ({@link EvaluationBudget})
   * @param maxValueBytes the largest JSON value an expression may give a body field
   * @param maxHeaderValueLength the longest header value an expression may give
   */
  public record Limits(int maxComprehensionIterations, int maxExpressionLength, long maxEvaluationCost,
      long maxValueBytes, int maxHeaderValueLength) {
    public static final Limits DEFAULT = new Limits(10_000, 4_096, 50_000_000L, 8L * 1024 * 1024, 16 * 1024);
  }

  /** A compile error; {@code fieldPath} is relative to the processor entry. */
  public record CompileError(String fieldPath, String message) {}

  /** A processor, or the errors that prevented it (then {@code processor} is null). */
  public record Compilation(Processor processor, List<CompileError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** RE2 program size a {@code matches()} pattern may compile to; patterns can come from the body. */
  private static final int MAX_REGEX_PROGRAM_SIZE = 10_000;

  /** Headers whose values frame the message; the data plane owns them. */
  private static final Set<String> RESERVED_HEADERS = Set.of("content-length", "transfer-encoding", "host");

  private final CelCompiler requestCompiler;
  private final CelCompiler responseCompiler;
  private final CelRuntime runtime;
  private final Limits limits;

  public CelProcessorFactory() {
    this(Limits.DEFAULT);
  }

  public CelProcessorFactory(Limits limits) {
    this.limits = limits;
    CelOptions options = CelOptions.current()
        .comprehensionMaxIterations(limits.maxComprehensionIterations())
        .maxExpressionCodePointSize(limits.maxExpressionLength())
        .maxRegexProgramSize(MAX_REGEX_PROGRAM_SIZE)
        .build();
    this.requestCompiler = CelDeclarations.declareRequest(CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options).setStandardMacros(CelStandardMacro.STANDARD_MACROS)).build();
    this.responseCompiler = CelDeclarations.declareResponse(CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options).setStandardMacros(CelStandardMacro.STANDARD_MACROS)).build();
    this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
        .setOptions(options)
        .addFunctionBindings(CelDeclarations.jsonBinding())
        .build();
  }

  public Compilation compile(InProcessSpec spec) {
    List<CompileError> errors = new ArrayList<>();
    if (spec == null) {
      errors.add(new CompileError("inProcess", "is required for an InProcess processor"));
      return new Compilation(null, List.copyOf(errors));
    }
    CelProcessor.Side request = compileSide("inProcess.request", spec.request(), requestCompiler, errors);
    CelProcessor.Side response = compileSide("inProcess.response", spec.response(), responseCompiler, errors);
    if (!errors.isEmpty()) {
      return new Compilation(null, List.copyOf(errors));
    }
    return new Compilation(new CelProcessor(request, response, limits), List.of());
  }

  /** As the InProcess {@link ProcessorFactory}: each compile error is reported on its field of the entry. */
  @Override
  public Processor compile(InProcessSpec spec, Entry entry) {
    Compilation compilation = compile(spec);
    compilation.errors().forEach(error -> entry.error(error.fieldPath(), error.message()));
    return compilation.processor();
  }

  private CelProcessor.Side compileSide(String prefix, InProcessSpec.Mutations mutations, CelCompiler compiler,
      List<CompileError> errors) {
    if (mutations == null) {
      return CelProcessor.Side.EMPTY;
    }
    Set<String> reads = new HashSet<>();
    List<CelProcessor.HeaderSet> setHeaders = new ArrayList<>();
    for (int i = 0; i < mutations.setHeaders().size(); i++) {
      String field = prefix + ".setHeaders[" + i + "]";
      InProcessSpec.Assignment assignment = mutations.setHeaders().get(i);
      if (assignment == null) {
        errors.add(new CompileError(field, "must not be empty"));
        continue;
      }
      String name = headerName(field + ".target", assignment.target(), errors);
      BudgetedProgram program = program(field + ".value", assignment.value(), compiler, true, reads, errors);
      if (name != null && program != null) {
        setHeaders.add(new CelProcessor.HeaderSet(name, program, field + ".value"));
      }
    }
    List<String> removeHeaders = new ArrayList<>();
    for (int i = 0; i < mutations.removeHeaders().size(); i++) {
      String name = headerName(prefix + ".removeHeaders[" + i + "]", mutations.removeHeaders().get(i), errors);
      if (name != null) {
        removeHeaders.add(name);
      }
    }
    List<CelProcessor.BodySet> setBody = new ArrayList<>();
    for (int i = 0; i < mutations.setBodyFields().size(); i++) {
      String field = prefix + ".setBodyFields[" + i + "]";
      InProcessSpec.Assignment assignment = mutations.setBodyFields().get(i);
      if (assignment == null) {
        errors.add(new CompileError(field, "must not be empty"));
        continue;
      }
      JsonPath path = path(field + ".target", assignment.target(), errors);
      BudgetedProgram program = program(field + ".value", assignment.value(), compiler, false, reads, errors);
      if (path != null && program != null) {
        setBody.add(new CelProcessor.BodySet(path, program, field + ".value"));
      }
    }
    List<JsonPath> removeBody = new ArrayList<>();
    for (int i = 0; i < mutations.removeBodyFields().size(); i++) {
      JsonPath path = path(prefix + ".removeBodyFields[" + i + "]", mutations.removeBodyFields().get(i), errors);
      if (path != null) {
        removeBody.add(path);
      }
    }
    boolean loops = setHeaders.stream().anyMatch(set -> set.program().hasComprehension())
        || setBody.stream().anyMatch(set -> set.program().hasComprehension());
    return new CelProcessor.Side(setHeaders, removeHeaders, setBody, removeBody, reads, loops);
  }

  private static String headerName(String field, String name, List<CompileError> errors) {
    if (name == null || name.isEmpty()) {
      errors.add(new CompileError(field, "a header name is required"));
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        errors.add(new CompileError(field, "'" + name + "' is not a valid header name"));
        return null;
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (RESERVED_HEADERS.contains(lower)) {
      errors.add(new CompileError(field, "'" + name + "' is managed by the gateway and cannot be changed"));
      return null;
    }
    return lower;
  }

  private static JsonPath path(String field, String text, List<CompileError> errors) {
    try {
      return JsonPath.parse(text);
    } catch (IllegalArgumentException e) {
      errors.add(new CompileError(field, "invalid JSONPath '" + text + "': " + e.getMessage()));
      return null;
    }
  }

  private BudgetedProgram program(String field, String expression, CelCompiler compiler, boolean mustBeString,
      Set<String> reads, List<CompileError> errors) {
    if (expression == null || expression.isBlank()) {
      errors.add(new CompileError(field, "a CEL expression is required"));
      return null;
    }
    CelValidationResult result = compiler.compile(expression);
    if (result.hasError()) {
      for (CelIssue issue : result.getErrors()) {
        errors.add(new CompileError(field, describe(issue)));
      }
      return null;
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      CelKind kind = ast.getResultType().kind();
      if (mustBeString && kind != CelKind.STRING && kind != CelKind.DYN) {
        errors.add(new CompileError(field, "a header value must be a string, but the expression gives "
            + ast.getResultType().name()));
        return null;
      }
      for (CelReference reference : ast.getReferenceMap().values()) {
        reads.add(reference.name());
      }
      return BudgetedProgram.of(runtime.createProgram(ast), ast);
    } catch (CelValidationException | CelEvaluationException e) {
      errors.add(new CompileError(field, e.getMessage()));
      return null;
    }
  }

  /** "column 5: undeclared reference to 'x'", with the line for multi-line expressions. */
  static String describe(CelIssue issue) {
    String message = issue.getMessage().replace(" (in container '')", "");
    var location = issue.getSourceLocation();
    if (location == null || location.getLine() <= 0) {
      return message;
    }
    String where = location.getLine() > 1 ? "line " + location.getLine() + ", column " : "column ";
    return where + (location.getColumn() + 1) + ": " + message;
  }
}
