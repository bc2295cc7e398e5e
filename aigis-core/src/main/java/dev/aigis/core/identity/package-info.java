/**
 * Who is calling: Aigis API keys and JWT bearer tokens turned into an {@link dev.aigis.core.identity.Identity}.
 *
 * <h2>Entry points</h2>
 * {@link dev.aigis.core.identity.Authenticator#of} builds, per policy and configuration snapshot,
 * an authenticator from the policy's {@link dev.aigis.model.policy.Authentication}, the loaded API
 * keys and a process-wide {@link dev.aigis.core.identity.JwksSources}.
 * {@link dev.aigis.core.identity.Authenticator#authenticate} runs per request and answers an
 * {@link dev.aigis.core.identity.AuthResult}; on success the caller strips the consumed header
 * before the request goes upstream.
 *
 * <h2>Secrets</h2>
 * Keys are stored and looked up only as SHA-256 hashes and confirmed in constant time; verified
 * tokens are cached by their hash. Identities, rejection reasons and log lines never carry a key,
 * a token or signature material.
 *
 * <h2>Threading</h2>
 * Everything here is safe for concurrent use. Only a JWKS fetch is asynchronous (the JDK HTTP
 * client's {@code sendAsync}); stages that waited for one complete on the client's threads.
 */
package dev.aigis.core.identity;
