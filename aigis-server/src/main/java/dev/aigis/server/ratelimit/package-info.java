/**
 * {@link dev.aigis.server.ratelimit.RedisRateLimitStore}: rate-limit counters shared by every replica
 * in Redis, through the Vert.x Redis client; its Lua scripts are this package's {@code admit.lua}
 * and {@code adjust.lua} resources. Everything else in the package is internal.
 */
package dev.aigis.server.ratelimit;
