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
 * compile time and by a total comprehension iteration budget per evaluation at run time
 * (exceeding it is a runtime error, handled by the processor's failure mode).
 *
 * <p>Thread-safe; build one and reuse it, since building the CEL environments is not cheap.
 */
public final class CelProcessorFactory implements ProcessorFactory<InProcessSpec> {

  /**
   * @param maxComprehensionIterations iterations allowed across all comprehensions ({@code map},
   *     {@code all}, {@code exists}, ...) of one expression evaluation
   * @param maxExpressionLength the longest expression accepted, in code points
   */
  public record Limits(int maxComprehensionIterations, int maxExpressionLength) {
    public static final Limits DEFAULT = new Limits(10_000, 4_096);
  }

  /** A compile error; {@code fieldPath} is relative to the processor entry. */
  public record CompileError(String fieldPath, String message) {}

  /** A processor, or the errors that prevented it (then {@code processor} is null). */
  public record Compilation(Processor processor, List<CompileError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** Headers whose values frame the message; the data plane owns them. */
  private static final Set<String> RESERVED_HEADERS = Set.of("content-length", "transfer-encoding", "host");

  private final CelCompiler requestCompiler;
  private final CelCompiler responseCompiler;
  private final CelRuntime runtime;

  public CelProcessorFactory() {
    this(Limits.DEFAULT);
  }

  public CelProcessorFactory(Limits limits) {
    CelOptions options = CelOptions.current()
        .comprehensionMaxIterations(limits.maxComprehensionIterations())
        .maxExpressionCodePointSize(limits.maxExpressionLength())
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
    return new Compilation(new CelProcessor(request, response), List.of());
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
    boolean[] readsBody = new boolean[1];
    List<CelProcessor.HeaderSet> setHeaders = new ArrayList<>();
    for (int i = 0; i < mutations.setHeaders().size(); i++) {
      String field = prefix + ".setHeaders[" + i + "]";
      InProcessSpec.Assignment assignment = mutations.setHeaders().get(i);
      if (assignment == null) {
        errors.add(new CompileError(field, "must not be empty"));
        continue;
      }
      String name = headerName(field + ".target", assignment.target(), errors);
      CelRuntime.Program program = program(field + ".value", assignment.value(), compiler, true, readsBody, errors);
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
      CelRuntime.Program program = program(field + ".value", assignment.value(), compiler, false, readsBody, errors);
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
    return new CelProcessor.Side(setHeaders, removeHeaders, setBody, removeBody, readsBody[0]);
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

  private CelRuntime.Program program(String field, String expression, CelCompiler compiler, boolean mustBeString,
      boolean[] readsBody, List<CompileError> errors) {
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
        if (CelDeclarations.REQUEST_BODY.equals(reference.name())) {
          readsBody[0] = true;
        }
      }
      return runtime.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      errors.add(new CompileError(field, e.getMessage()));
      return null;
    }
  }

  /** "column 5: undeclared reference to 'x'", with the line for multi-line expressions. */
  private static String describe(CelIssue issue) {
    String message = issue.getMessage().replace(" (in container '')", "");
    var location = issue.getSourceLocation();
    if (location == null || location.getLine() <= 0) {
      return message;
    }
    String where = location.getLine() > 1 ? "line " + location.getLine() + ", column " : "column ";
    return where + (location.getColumn() + 1) + ": " + message;
  }
}
