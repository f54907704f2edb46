-- wrk script for bench/run.sh: one route of the service per run.
--
-- wrk passes script arguments only after setup(), so the run is described by
-- the environment instead:
--   BENCH_KIND     live | set | get | put
--   BENCH_TOKENS   file of "instanceId token" lines (not needed for live)
--   BENCH_HOT      1: every request on the first instance (one hot row)
--   BENCH_PER_THREAD  connections per wrk thread (run.sh: -c / -t)
--   BENCH_STATUSES 1: count the answers by status (bench/hot_set.sh); off
--                  by default, since a response() callback slows wrk down
--
-- Thread n works on its own BENCH_PER_THREAD instances, in turn: one
-- instance per connection, as one gateway instance is one client. wrk's Lua
-- cannot tell the connections of one thread apart, so with several per
-- thread a slow request can overlap the next one on its instance: harmless
-- for reads and for sets (one atomic upsert each), but two PUTs of one
-- instance at once are a conflict (409 after 3 attempts). run.sh therefore
-- gives PUT one thread per connection (-t C -c C) and everything else one
-- thread per core, as pgbench gets. Every run goes through the same
-- Lua request(), so the load tool costs the same for the framework ceiling
-- (live) as for GET.

local kind = os.getenv("BENCH_KIND") or "live"
local counter = 0

-- One inbox per instance (its line in BENCH_TOKENS, which run.sh sorts by
-- instance id, as pgbench and sqlite_ceiling pick theirs), since two live
-- integrations may not share one.
local function set_body(inbox)
  return '{"accountId":"12","chatwootURL":"https://chat.example.com/",'
    .. '"chatwootAccessToken":"user-token","inbox":' .. inbox .. ','
    .. '"integrationOptions":{"startConversationAs":"pending"}}'
end
local put_body = '{"integrationOptions":{"enabledGroup":true}}'

local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("thread_index", counter)
  table.insert(threads, thread)
end

if os.getenv("BENCH_STATUSES") == "1" then
  statuses = {}
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function init(args)
  requests_of_thread = {}
  position = 0
  if kind == "live" then
    table.insert(requests_of_thread, wrk.format("GET", "/health/live"))
    return
  end
  local instances = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local id, token = line:match("^(%S+)%s+(%S+)$")
    if id then table.insert(instances, { id = id, token = token }) end
  end
  local per_thread = tonumber(os.getenv("BENCH_PER_THREAD") or "1")
  for j = 1, per_thread do
    local mine = ((thread_index - 1) * per_thread + j - 1) % #instances + 1
    if os.getenv("BENCH_HOT") == "1" then mine = 1 end
    local inst = instances[mine]
    local path = "/api/v2/instance/" .. inst.id .. "/chatwoot-integration"
    local headers = { ["Authorization"] = "Bearer " .. inst.token }
    if kind == "get" then
      table.insert(requests_of_thread, wrk.format("GET", path, headers))
    else
      headers["Content-Type"] = "application/json"
      local method, body = "POST", set_body(mine)
      if kind == "put" then method, body = "PUT", put_body end
      table.insert(requests_of_thread, wrk.format(method, path, headers, body))
    end
  end
end

function request()
  position = position % #requests_of_thread + 1
  return requests_of_thread[position]
end

-- One JSON line on stdout for run.sh; wrk's own summary goes before it.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
  if os.getenv("BENCH_STATUSES") == "1" then
    local total = {}
    for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
        total[status] = (total[status] or 0) + n
      end
    end
    local parts = {}
    for status, n in pairs(total) do
      table.insert(parts, string.format('"%d":%d', status, n))
    end
    table.sort(parts)
    io.write('STATUSES {' .. table.concat(parts, ",") .. '}\n')
  end
end
