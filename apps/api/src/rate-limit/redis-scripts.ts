/**
 * The Redis store's Lua scripts: one per operation, so each is atomic across every api process.
 * Time is Redis's own clock (TIME), the same for all processes. Every key gets a TTL, so Redis
 * forgets idle buckets and ended windows by itself.
 */

/**
 * KEYS[1] bucket; ARGV capacity, refillPerSecond, cost. Returns { allowed (0/1), retryAfterMs }.
 * The bucket is a hash { tokens, at }; it expires once it would have refilled completely.
 */
export const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
else
  local elapsed = now - at
  if elapsed < 0 then elapsed = 0 end
  tokens = math.min(capacity, tokens + elapsed * rate / 1000)
end
local need = cost
if need <= 0 then need = 1 end
local allowed = 0
local retry = 0
if tokens >= need then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((need - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return { allowed, retry }
`;

/** KEYS[1] window; ARGV intervalMs. Returns 0 when allowed (the window starts), else the ms left. */
export const SLOWMODE_SCRIPT = `
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then
  return 0
end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then left = 1 end
return left
`;
