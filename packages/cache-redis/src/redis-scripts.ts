/** The Lua scripts the Redis store runs server-side, so concurrent writers from several processes serialise. */

/**
 * Commits a body atomically (runs inside Redis, so concurrent writers from
 * several processes serialise here): the finished temp body is renamed into
 * place, the head replaced, the variant indexed, and the body this head
 * replaced is given a short grace TTL instead of being deleted, so a reader
 * in another process can finish it.
 * KEYS: temp body, body, head, index. ARGV: encoded head, variant hash, ttl ms (0 = none), grace ms, body key prefix.
 */
export const COMMIT_SCRIPT = `
local previous = redis.call('GET', KEYS[3])
redis.call('RENAME', KEYS[1], KEYS[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('SET', KEYS[3], ARGV[1], 'PX', ttl)
else
  redis.call('PERSIST', KEYS[2])
  redis.call('SET', KEYS[3], ARGV[1])
end
redis.call('SADD', KEYS[4], ARGV[2])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[4], ttl, 'NX')
  redis.call('PEXPIRE', KEYS[4], ttl, 'GT')
else
  redis.call('PERSIST', KEYS[4])
end
if previous then
  local ok, old = pcall(cjson.decode, previous)
  if ok and type(old) == 'table' and type(old.bodyId) == 'string' and ARGV[5] .. old.bodyId ~= KEYS[2] then
    redis.call('PEXPIRE', ARGV[5] .. old.bodyId, tonumber(ARGV[4]))
  end
end
return 1
`;

/**
 * Replaces a head only if it still names the expected body, extending the
 * body's and the index's TTL to the new head's.
 * KEYS: head, body, index. ARGV: expected body id, encoded head, ttl ms (0 = none).
 */
export const UPDATE_HEAD_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ok, entry = pcall(cjson.decode, current)
if not ok or type(entry) ~= 'table' or entry.bodyId ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl, 'GT')
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('PERSIST', KEYS[2])
  redis.call('PERSIST', KEYS[3])
end
return 1
`;
