package dev.aigis.core.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.concurrent.CompletionStage;

/**
 * Where a JWT provider's public keys come from: a file ({@link JwksSources#file}) or an HTTPS URL
 * ({@link JwksSources#url}). Sources are long-lived and shared by every verifier of the same file or
 * URL, so a configuration reload keeps their caches. Safe for any number of threads.
 *
 * <p>Returned stages complete at once whenever a key set is cached; they complete later, on the
 * HTTP client's threads, only when a URL must be fetched before an answer exists. They fail with
 * {@link JwksUnavailableException} only when no key set has ever been loaded; once one has, a
 * failed reload keeps it.
 */
public sealed interface JwksSource permits FileJwksSource, UrlJwksSource {

  /** The current public keys. A stale cached set is returned at once while a refresh runs behind it. */
  CompletionStage<JWKSet> keys();

  /**
   * The keys again after a token named {@code kid} that {@link #keys()} lacked: the issuer may have
   * rotated its keys. A URL source fetches again, at most once per 30 seconds, so tokens with
   * made-up key ids cannot make the gateway hammer the issuer; otherwise it answers the cached set.
   */
  CompletionStage<JWKSet> keysWithKid(String kid);
}
