package dev.aigis.core.backend;

import dev.aigis.model.snapshot.ResolvedBackend;

/**
 * Where one attempt goes, as an adapter needs to know it.
 *
 * @param backend the resolved AIBackend (schema, credentials, overrides)
 * @param basePath the endpoint URL's path prefix, "" when none
 * @param authority the endpoint's {@code host[:port]}, what signing covers
 * @param credential the backend's credential for this attempt (a key, or an OAuth access token the
 *     auth strategy obtained), or null
 * @param rawQuery the client's query string, or null
 */
public record BackendTarget(ResolvedBackend backend, String basePath, String authority, String credential,
    String rawQuery) {}
