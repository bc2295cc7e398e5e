/**
 * The gateway's identity and limit processors, built-in stages of the exchange pipeline: {@link
 * dev.aigis.core.policy.AccessControl} (AccessPolicy: who the caller is and which models it may
 * use) and {@link dev.aigis.core.policy.RateLimiter} (RateLimitPolicy: request, token and USD
 * limits, admitted on an estimate and reconciled from the provider's reported usage). They work on
 * the processor context only, so every client API, backend schema and both front doors get them.
 */
package dev.aigis.core.policy;
