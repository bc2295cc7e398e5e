package dev.aigis.core.identity;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one credential a request carries, read from {@code Authorization: Bearer X},
 * {@code x-api-key: X} (Anthropic SDKs), {@code api-key: X} (Azure OpenAI SDKs) or
 * {@code x-goog-api-key: X} (Google's SDKs; a Gemini path's {@code ?key=} is presented there by the
 * front door, see {@link dev.aigis.core.api.QueryKey}). Blank headers count as absent.
 *
 * <p>Credentials in more than one header are refused even when equal: the caller strips only the
 * one {@link AuthResult.Authenticated#consumedHeader()}, and a copy left in another header would
 * travel upstream.
 */
sealed interface PresentedCredential {

  List<String> HEADERS = List.of("authorization", "x-api-key", "api-key", "x-goog-api-key");

  record Absent() implements PresentedCredential {}

  record Found(String header, String value) implements PresentedCredential {}

  record Unusable(String reason) implements PresentedCredential {}

  static PresentedCredential in(Function<String, List<String>> headers) {
    Found found = null;
    for (String header : HEADERS) {
      List<String> values = headers.apply(header);
      if (values == null) {
        continue;
      }
      for (String raw : values) {
        if (raw == null || raw.isBlank()) {
          continue;
        }
        String value = raw.strip();
        if (header.equals("authorization")) {
          int space = value.indexOf(' ');
          if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Unusable("unsupported Authorization scheme; send Authorization: Bearer <token>");
          }
          value = value.substring(space + 1).strip();
          if (value.isEmpty()) {
            return new Unusable("empty bearer token");
          }
        }
        if (found != null && !(found.header().equals(header) && found.value().equals(value))) {
          return new Unusable("more than one credential");
        }
        found = new Found(header, value);
      }
    }
    return found != null ? found : new Absent();
  }
}
