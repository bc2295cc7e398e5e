package dev.aigis.testkit;

/**
 * A request OpenAI would reject with 400; rendered as an OpenAI error object. No stack trace:
 * it is control flow on the request path, not a bug.
 */
final class InvalidRequest extends Exception {

  final String param;
  final String code;

  InvalidRequest(String message, String param, String code) {
    super(message, null, false, false);
    this.param = param;
    this.code = code;
  }

  static InvalidRequest notJson() {
    return new InvalidRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
            + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what"
            + " was sent was not valid JSON. If you have trouble figuring out how to fix this,"
            + " please contact us through our help center at help.openai.com.)",
        null, null);
  }

  static InvalidRequest missing(String param) {
    return new InvalidRequest(
        "Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
  }

  static InvalidRequest invalidType(String param, String expected) {
    return new InvalidRequest(
        "Invalid type for '" + param + "': expected " + expected + ".", param, "invalid_type");
  }
}
