-- RedisRateLimitStore.adjust: adds a delta of either sign to each counter.
-- KEYS[i]  the counter hash of delta i (fields: used, limit)
-- ARGV[3i-2] the limit, ARGV[3i-1] the delta, ARGV[3i] the key's TTL in ms
-- A counter never drops below 0; a missing counter is created by a positive delta only.
for i = 1, #KEYS do
  if tonumber(ARGV[3 * i - 1]) > 0 or redis.call('EXISTS', KEYS[i]) == 1 then
    if redis.call('HINCRBY', KEYS[i], 'used', ARGV[3 * i - 1]) < 0 then
      redis.call('HSET', KEYS[i], 'used', 0)
    end
    redis.call('HSET', KEYS[i], 'limit', ARGV[3 * i - 2])
    redis.call('PEXPIRE', KEYS[i], ARGV[3 * i])
  end
end
return 0
