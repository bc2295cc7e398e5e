-- RedisRateLimitStore.admit: one atomic admission across every charge.
-- KEYS[i]  the counter hash of charge i (fields: used, limit)
-- ARGV[3i-2] the charge's limit, ARGV[3i-1] its cost (>= 0), ARGV[3i] the key's TTL in ms
-- Refuses iff some counter is exhausted (used >= limit) before the charge; otherwise adds every
-- cost. Time never comes from Redis: the TTL is computed by the gateway from its own clock.
-- Returns {admitted (1 or 0), used_1, ..., used_n}: after the charges, or as they are if refused.
local n = #KEYS
local used = {}
local admitted = 1
for i = 1, n do
  used[i] = tonumber(redis.call('HGET', KEYS[i], 'used') or '0')
  if used[i] >= tonumber(ARGV[3 * i - 2]) then
    admitted = 0
  end
end
if admitted == 1 then
  for i = 1, n do
    used[i] = redis.call('HINCRBY', KEYS[i], 'used', ARGV[3 * i - 1])
    redis.call('HSET', KEYS[i], 'limit', ARGV[3 * i - 2])
    redis.call('PEXPIRE', KEYS[i], ARGV[3 * i])
  end
end
table.insert(used, 1, admitted)
return used
