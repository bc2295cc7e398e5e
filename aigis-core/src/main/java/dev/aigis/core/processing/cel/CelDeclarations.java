package dev.aigis.core.processing.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.runtime.CelFunctionBinding;

/**
 * The CEL environment of InProcess processors. Request expressions see:
 * <pre>
 *   request.body     string               the buffered body as UTF-8 ("" when there is none)
 *   request.headers  map(string, string)  lower-case names; repeated headers joined with ","
 *   request.method   string
 *   request.path     string               without the query string
 *   k8s.http.request.headers / .method / .path   the same values, under the WG draft's names
 *   k8s.llm.model    string               the model the body names, or ""
 *   json(string) -> dyn                   parses JSON: objects to maps, arrays to lists,
 *                                         integers to int, other numbers to double
 * </pre>
 * Response expressions see all of that plus:
 * <pre>
 *   response.status  int
 *   response.headers map(string, string)
 *   response.usage   map(string, int)     input, output, total, cached_input, reasoning (0 when unknown)
 * </pre>
 * Variables have dotted names, so {@code request} alone is not a variable.
 */
final class CelDeclarations {

  static final String REQUEST_BODY = "request.body";
  static final String REQUEST_HEADERS = "request.headers";
  static final String REQUEST_METHOD = "request.method";
  static final String REQUEST_PATH = "request.path";
  static final String K8S_REQUEST_HEADERS = "k8s.http.request.headers";
  static final String K8S_REQUEST_METHOD = "k8s.http.request.method";
  static final String K8S_REQUEST_PATH = "k8s.http.request.path";
  static final String K8S_LLM_MODEL = "k8s.llm.model";
  static final String RESPONSE_STATUS = "response.status";
  static final String RESPONSE_HEADERS = "response.headers";
  static final String RESPONSE_USAGE = "response.usage";

  private static final String JSON_OVERLOAD = "json_string";

  private CelDeclarations() {}

  static CelCompilerBuilder declareRequest(CelCompilerBuilder builder) {
    var headers = MapType.create(SimpleType.STRING, SimpleType.STRING);
    return builder
        .addVar(REQUEST_BODY, SimpleType.STRING)
        .addVar(REQUEST_HEADERS, headers)
        .addVar(REQUEST_METHOD, SimpleType.STRING)
        .addVar(REQUEST_PATH, SimpleType.STRING)
        .addVar(K8S_REQUEST_HEADERS, headers)
        .addVar(K8S_REQUEST_METHOD, SimpleType.STRING)
        .addVar(K8S_REQUEST_PATH, SimpleType.STRING)
        .addVar(K8S_LLM_MODEL, SimpleType.STRING)
        .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("json",
            CelOverloadDecl.newGlobalOverload(JSON_OVERLOAD, SimpleType.DYN, SimpleType.STRING)));
  }

  static CelCompilerBuilder declareResponse(CelCompilerBuilder builder) {
    return declareRequest(builder)
        .addVar(RESPONSE_STATUS, SimpleType.INT)
        .addVar(RESPONSE_HEADERS, MapType.create(SimpleType.STRING, SimpleType.STRING))
        .addVar(RESPONSE_USAGE, MapType.create(SimpleType.STRING, SimpleType.INT));
  }

  static CelFunctionBinding jsonBinding() {
    return CelFunctionBinding.from(JSON_OVERLOAD, String.class, CelValues::parseJson);
  }
}
