/**
 * Rate-limit counting, independent of any server: fixed UTC {@link dev.aigis.core.ratelimit.Window}s,
 * the {@link dev.aigis.core.ratelimit.RateLimitStore} contract (admit, adjust, snapshot) with its
 * algorithm and error bound, the per-replica {@link dev.aigis.core.ratelimit.MemoryRateLimitStore},
 * and {@link dev.aigis.core.ratelimit.FailoverRateLimitStore}, which applies a policy's failure mode
 * when a shared store cannot answer. The Redis store lives in {@code dev.aigis.server.ratelimit}.
 */
package dev.aigis.core.ratelimit;
