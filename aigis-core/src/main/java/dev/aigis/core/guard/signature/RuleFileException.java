package dev.aigis.core.guard.signature;

/**
 * A rule file that cannot be used. The message names the place:
 * {@code rules.yaml:14: rule ignore-previous: patterns[1]: missing closing )}; it never holds
 * scanned text.
 */
public final class RuleFileException extends Exception {

  private final String file;
  private final int line;
  private final String ruleId;
  private final String field;

  /**
   * @param file the file or resource name
   * @param line 1-based, or 0 when unknown (an unreadable file)
   * @param ruleId the rule's id, or null when the problem is not inside a rule
   * @param field the field, e.g. {@code patterns[1]}, or null
   * @param problem what is wrong
   */
  public RuleFileException(String file, int line, String ruleId, String field, String problem) {
    super(render(file, line, ruleId, field, problem));
    this.file = file;
    this.line = line;
    this.ruleId = ruleId;
    this.field = field;
  }

  private static String render(String file, int line, String ruleId, String field, String problem) {
    StringBuilder message = new StringBuilder(file);
    if (line > 0) {
      message.append(':').append(line);
    }
    message.append(": ");
    if (ruleId != null) {
      message.append("rule ").append(ruleId).append(": ");
    }
    if (field != null) {
      message.append(field).append(": ");
    }
    return message.append(problem).toString();
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The rule's id, or null. */
  public String ruleId() {
    return ruleId;
  }

  /** The field, or null. */
  public String field() {
    return field;
  }
}
