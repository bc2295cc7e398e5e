-- Stores one cache entry and announces it on the cache's stream, atomically.
-- KEYS[1] the entry hash (…x:<exactKey>), KEYS[2] the stream (…log), KEYS[3] the stream's epoch (…epoch)
-- ARGV: id, entry JSON, ttl millis, max entries, exact key, partition, vector base64 ('' for none),
--       expires-at epoch millis, key prefix, a fresh epoch (used when the stream has none)
--
-- The epoch names this stream's lineage: a Redis that restarted empty, or a stream that expired,
-- starts a new one. Each entry carries it, so a follower whose last entry is gone can tell a stream
-- trimmed past it (same epoch: read on) from another stream (new epoch: rebuild).
-- Returns the stream id of the put.
--
-- Over max entries, the oldest stream entries go, with their entry hash unless a newer put of the
-- same exact key replaced it (its id differs). Those hashes are not in KEYS; they share the hash tag
-- of the prefix, so they are in this slot on Redis Cluster too.
local ttl = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'entry', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  epoch = ARGV[10]
  redis.call('SET', KEYS[3], epoch)
end
local sid = redis.call('XADD', KEYS[2], '*', 'i', ARGV[1], 'k', ARGV[5], 'p', ARGV[6], 'v', ARGV[7], 'e', ARGV[8],
  'g', epoch)
local over = redis.call('XLEN', KEYS[2]) - max
if over > 0 then
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', over)
  for _, item in ipairs(oldest) do
    local fields = item[2]
    local id, key
    for j = 1, #fields, 2 do
      if fields[j] == 'i' then id = fields[j + 1] elseif fields[j] == 'k' then key = fields[j + 1] end
    end
    if id and key then
      local hash = ARGV[9] .. 'x:' .. key
      if redis.call('HGET', hash, 'id') == id then
        redis.call('DEL', hash)
      end
    end
  end
  redis.call('XTRIM', KEYS[2], 'MAXLEN', max)
end
-- The stream outlives its longest-lived entry, no more: a cache taken out of the configuration
-- leaves nothing behind for long.
if redis.call('PTTL', KEYS[2]) < ttl then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
if redis.call('PTTL', KEYS[3]) < ttl then
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return sid
