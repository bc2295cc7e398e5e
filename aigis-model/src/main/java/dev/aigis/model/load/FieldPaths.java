package dev.aigis.model.load;

import java.util.regex.Pattern;

/**
 * Field path syntax shared by the loader's line index, its binder and the snapshot compiler:
 * {@code spec.rules[0].backendRefs[1].weight}; map keys that are not plain identifiers are bracketed,
 * as in {@code data[tls.crt]}.
 */
public final class FieldPaths {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  private FieldPaths() {}

  public static String field(String parent, String key) {
    if (!PLAIN.matcher(key).matches()) {
      return parent + "[" + key + "]";
    }
    return parent.isEmpty() ? key : parent + "." + key;
  }

  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
