package dev.aigis.core.api;

import dev.aigis.core.routing.QueryParams;

/**
 * Google's clients may send their API key as {@code ?key=} instead of {@code x-goog-api-key}. Front
 * doors take it out of the query for Gemini paths and present it as that header, so the one
 * credential reader sees it, a verified gateway key is removed like any other, and the query that
 * goes upstream (or into a log) never holds a key.
 *
 * @param key the decoded key, or null when the query had none
 * @param query the query without any {@code key} parameter, null when nothing is left
 */
public record QueryKey(String key, String query) {

  /** The header the key is presented in. */
  public static final String HEADER = "x-goog-api-key";

  /** Splits {@code key} parameters off a raw query (null: none); the last non-empty one wins. */
  public static QueryKey split(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryKey(null, rawQuery);
    }
    String key = null;
    var kept = new StringBuilder(rawQuery.length());
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (name.equals("key")) {
        String value = eq < 0 ? "" : QueryParams.decode(pair.substring(eq + 1));
        key = value.isEmpty() ? key : value;
        continue;
      }
      if (!kept.isEmpty()) {
        kept.append('&');
      }
      kept.append(pair);
    }
    return new QueryKey(key, kept.isEmpty() ? null : kept.toString());
  }
}
