namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The Lua scripts: each step that must not be half done is one script (atomic on the server, one round trip).
/// StackExchange.Redis sends them by SHA once loaded. Stream fields: <c>e</c> event name, <c>d</c> delivery id,
/// <c>n</c> attempts already made, <c>p</c> the protected entry; dead letters add <c>r</c> reason and <c>t</c> time (ms).
/// </summary>
internal static class Scripts
{
    /// <summary>Compare-and-delete: the claim goes only when its owner releases it.</summary>
    public const string ReleaseClaim = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>
    /// The receipts of a batch, each delivery claimed (SET NX PX) and appended on its own, in order. KEYS: stream, dead,
    /// then one claim per delivery. ARGV: owner, then per delivery px, e, d, p, r, t (t empty: a verified delivery, to the
    /// stream; else to the dead letters with reason r at time t). Returns one result per delivery: the entry id; nil when
    /// it was already claimed (before, or earlier in this batch); or {error} when Redis refused its claim or its append —
    /// then nothing of it stays (an append that fails gives the claim back).
    /// </summary>
    public const string ReceiveBatch = """
        local out = {}
        for i = 1, #KEYS - 2 do
          local a = 1 + (i - 1) * 6
          local claim = KEYS[i + 2]
          local ok = redis.pcall('SET', claim, ARGV[1], 'NX', 'PX', ARGV[a + 1])
          if type(ok) == 'table' and ok.err then
            out[i] = { ok.err }
          elseif not ok then
            out[i] = false
          else
            local id
            if ARGV[a + 6] == '' then
              id = redis.pcall('XADD', KEYS[1], '*', 'e', ARGV[a + 2], 'd', ARGV[a + 3], 'n', '0', 'p', ARGV[a + 4])
            else
              id = redis.pcall('XADD', KEYS[2], '*', 'e', ARGV[a + 2], 'd', ARGV[a + 3], 'n', '0', 'r', ARGV[a + 5], 't', ARGV[a + 6], 'p', ARGV[a + 4])
            end
            if type(id) == 'table' and id.err then
              redis.call('DEL', claim)
              out[i] = { id.err }
            else
              out[i] = id
            end
          end
        end
        return out
        """;

    /// <summary>
    /// Take back receipts that were stored but not confirmed by enough replicas (answered 503), each only while no worker has
    /// read it (its id is past the group's last-delivered id; an entry already read runs, and its claim stays): the entry is
    /// deleted and the claim given back (only by its owner). KEYS: stream, dead, then one claim per receipt. ARGV: owner,
    /// group, then per receipt its entry id and where it went ('s' stream, 'd' dead letters). Returns how many were taken back.
    /// </summary>
    public const string TakeBackReceipts = """
        local last = nil
        local groups = redis.pcall('XINFO', 'GROUPS', KEYS[1])
        if type(groups) == 'table' and not groups.err then
          for _, g in ipairs(groups) do
            local f = {}
            for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
            if f['name'] == ARGV[2] then last = f['last-delivered-id'] end
          end
        end
        local function after(a, b)
          local am, as = string.match(a, '^(%d+)-(%d+)$')
          local bm, bs = string.match(b, '^(%d+)-(%d+)$')
          am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
          return am > bm or (am == bm and as > bs)
        end
        local n = 0
        for i = 1, #KEYS - 2 do
          local id, kind = ARGV[1 + i * 2], ARGV[2 + i * 2]
          local undo = kind == 'd' or last == nil or after(id, last)
          if undo then
            redis.call('XDEL', kind == 'd' and KEYS[2] or KEYS[1], id)
            if redis.call('GET', KEYS[i + 2]) == ARGV[1] then redis.call('DEL', KEYS[i + 2]) end
            n = n + 1
          end
        end
        return n
        """;

    /// <summary>
    /// Schedule a retry: acknowledge and delete the entry, add it to the retry set due at ARGV[3] (ms). KEYS: stream, retry.
    /// ARGV: group, id, due, n, d, e, p. The member is "n\td\t#e\te" followed by p.
    /// </summary>
    public const string ScheduleRetry = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4] .. '\t' .. ARGV[5] .. '\t' .. #ARGV[6] .. '\t' .. ARGV[6] .. ARGV[7])
        return 1
        """;

    /// <summary>Release due retries into the stream. KEYS: retry, stream. ARGV: now (ms), limit. Returns how many.</summary>
    public const string ReleaseDueRetries = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, m in ipairs(due) do
          local n, d, len, rest = string.match(m, '^(%d+)\t([^\t]*)\t(%d+)\t(.*)$')
          if n then
            len = tonumber(len)
            redis.call('XADD', KEYS[2], '*', 'e', string.sub(rest, 1, len), 'd', d, 'n', n, 'p', string.sub(rest, len + 1))
          end
          redis.call('ZREM', KEYS[1], m)
        end
        return #due
        """;

    /// <summary>Move to the dead letters: acknowledge, delete, append there. KEYS: stream, dead. ARGV: group, id, e, d, n, r, t, p.</summary>
    public const string DeadLetter = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        return redis.call('XADD', KEYS[2], '*', 'e', ARGV[3], 'd', ARGV[4], 'n', ARGV[5], 'r', ARGV[6], 't', ARGV[7], 'p', ARGV[8])
        """;

    /// <summary>Move a dead letter back to the stream with a fresh count. KEYS: dead, stream. ARGV: id. Returns the new id or nil.</summary>
    public const string RetryDeadLetter = """
        local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #found == 0 then return false end
        local f = found[1][2]
        local v = {}
        for i = 1, #f, 2 do v[f[i]] = f[i + 1] end
        local id = redis.call('XADD', KEYS[2], '*', 'e', v['e'] or '', 'd', v['d'] or '', 'n', '0', 'p', v['p'] or '')
        redis.call('XDEL', KEYS[1], ARGV[1])
        return id
        """;

    /// <summary>
    /// Give back entries read ahead but not started (the worker stops): each one still pending for this consumer is
    /// acknowledged, deleted and appended anew with its labels, so that any instance reads it at once. KEYS: stream.
    /// ARGV: group, consumer, then per entry its id, e, d, n, p. Returns how many were given back.
    /// </summary>
    public const string GiveBack = """
        local n = 0
        for i = 3, #ARGV, 5 do
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #p == 1 and p[1][2] == ARGV[2] then
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
            redis.call('XDEL', KEYS[1], ARGV[i])
            redis.call('XADD', KEYS[1], '*', 'e', ARGV[i + 1], 'd', ARGV[i + 2], 'n', ARGV[i + 3], 'p', ARGV[i + 4])
            n = n + 1
          end
        end
        return n
        """;

    /// <summary>
    /// Keep running deliveries alive: reset each one's idle time, only while this consumer still holds it.
    /// KEYS: stream. ARGV: group, consumer, id, id, … Returns the ids another consumer has taken over (not renewed).
    /// </summary>
    public const string Renew = """
        local lost = {}
        for i = 3, #ARGV do
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #p == 0 or p[1][2] ~= ARGV[2] then
            lost[#lost + 1] = ARGV[i]
          else
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
          end
        end
        return lost
        """;

    /// <summary>
    /// Delete consumers of the group that have nothing pending and have been idle at least ARGV[2] ms: only ARGV[3] when it
    /// is not empty, else every such consumer but ARGV[4]. Checked and deleted in one script, so that no entry is claimed by
    /// a consumer between the check and its deletion (XGROUP DELCONSUMER drops a consumer's pending entries). KEYS: stream.
    /// ARGV: group, min idle (ms), the one consumer or '', the consumer to keep or ''. Returns the names deleted.
    /// </summary>
    public const string DeleteIdleConsumers = """
        local deleted = {}
        for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
          local f = {}
          for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
          local chosen = (ARGV[3] == '' and f['name'] ~= ARGV[4]) or f['name'] == ARGV[3]
          if chosen and f['pending'] == 0 and f['idle'] >= tonumber(ARGV[2]) then
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
            deleted[#deleted + 1] = f['name']
          end
        end
        return deleted
        """;
}
