-- wrk script of bench/load.py: each wrk thread is one workshop owner with one connection (wrk -t N -c N).
--
--   HAMDELI_LOAD_MODE=report  each request is one report: POST /workshop/quotas/<id>/ with the owner's
--                             session and CSRF cookies, a day's output (1-3 units) and a fresh idempotency key
--                             (the form accepts any UUID it has not stored yet: core.forms.idempotency_key_field).
--   HAMDELI_LOAD_MODE=empty   each request is GET /bench/empty/ with the same cookies: the floor.
--   HAMDELI_LOAD_OWNERS       a Lua file written by bench/load.py: return { {cookie=, csrf=, path=}, ... }
--   HAMDELI_LOAD_TAG          a number of this run, part of every idempotency key (keys never repeat)
--   HAMDELI_LOAD_KEYS         a directory: each thread writes the keys of the reports answered as recorded
--                             to its own file there, so bench/load.py can check each one was stored
--
-- done() prints one line "HAMDELI_LOAD_RESULT {json}" with the outcomes counted in response() and wrk's
-- per-request latency percentiles (from the request written to the response read; gunicorn's sync workers
-- close the connection after each response, so wrk's reconnect is not in the latency but is in the rate).

local mode = os.getenv("HAMDELI_LOAD_MODE") or "report"
local owners = dofile(os.getenv("HAMDELI_LOAD_OWNERS"))
local tag = tonumber(os.getenv("HAMDELI_LOAD_TAG") or "0")

-- Main Lua state: hand every thread its owner and remember the threads for done().
local threads = {}
local next_owner = 1

function setup(thread)
  local owner = owners[((next_owner - 1) % #owners) + 1]
  thread:set("owner_index", next_owner)
  thread:set("cookie", owner.cookie)
  thread:set("csrf", owner.csrf)
  thread:set("path", owner.path)
  next_owner = next_owner + 1
  table.insert(threads, thread)
end

-- Thread Lua states from here on (globals set by thread:set above).
local counts = {
  recorded = 0, refused_with_form_error = 0, answered_200_without_form_error = 0,
  busy_409 = 0, redirected_elsewhere = 0, other_4xx = 0, server_errors_5xx = 0, ok_200 = 0, other = 0,
}
local queries = 0
local sent = 0
local last_key = nil
local keys_file = nil

function init(args)
  math.randomseed(tag + owner_index * 7919)
  if mode == "report" then
    keys_file = io.open(os.getenv("HAMDELI_LOAD_KEYS") .. "/" .. owner_index .. ".keys", "w")
    -- A line at a time: wrk never closes a thread's Lua state, so a buffer might not reach the file.
    keys_file:setvbuf("line")
  end
end

local function idempotency_key()
  sent = sent + 1
  last_key = string.format(
    "%08x-%04x-4%03x-%04x-%012x",
    tag % 0x7fffffff, owner_index % 0x10000, math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff), sent
  )
  return last_key
end

function request()
  if mode == "empty" then
    return wrk.format("GET", "/bench/empty/", { ["Cookie"] = cookie })
  end
  local body = "csrfmiddlewaretoken=" .. csrf
    .. "&quantity=" .. math.random(1, 3)
    .. "&report_date=&note=&idempotency_key=" .. idempotency_key()
  return wrk.format("POST", path, {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  queries = queries + (tonumber(headers["X-Bench-Queries"] or "0") or 0)
  if mode == "empty" then
    if status == 200 then
      counts.ok_200 = counts.ok_200 + 1
    elseif status >= 500 then
      counts.server_errors_5xx = counts.server_errors_5xx + 1
    else
      counts.other = counts.other + 1
    end
  elseif (status == 302 or status == 303) and headers["Location"] == path then
    counts.recorded = counts.recorded + 1
    -- One connection per thread and no pipelining: this response answers the last request sent.
    keys_file:write(last_key, "\n")
  elseif status == 200 then
    if body and string.find(body, "errorlist", 1, true) then
      counts.refused_with_form_error = counts.refused_with_form_error + 1
    else
      counts.answered_200_without_form_error = counts.answered_200_without_form_error + 1
    end
  elseif status == 301 or status == 302 or status == 303 then
    counts.redirected_elsewhere = counts.redirected_elsewhere + 1  -- e.g. to the login page: not recorded
  elseif status == 409 then
    counts.busy_409 = counts.busy_409 + 1
  elseif status >= 500 then
    counts.server_errors_5xx = counts.server_errors_5xx + 1
  elseif status >= 400 then
    counts.other_4xx = counts.other_4xx + 1
  else
    counts.other = counts.other + 1
  end
  -- thread:get() in done() reads globals of this thread's state.
  for name, n in pairs(counts) do
    _G["count_" .. name] = n
  end
  count_queries = queries
end

local function json(value)
  if type(value) == "table" then
    local parts = {}
    for key, item in pairs(value) do
      table.insert(parts, string.format("%q:%s", key, json(item)))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return tostring(value)
end

function done(summary, latency, requests)
  local totals = { queries = 0 }
  for name, _ in pairs(counts) do
    totals[name] = 0
  end
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (tonumber(thread:get("count_" .. name)) or 0)
    end
  end
  local errors = summary.errors
  print("HAMDELI_LOAD_RESULT " .. json({
    mode = string.format("%q", mode),
    duration_us = summary.duration,
    requests = summary.requests,
    outcomes = totals,
    socket_errors = {
      connect = errors.connect, read = errors.read, write = errors.write, timeout = errors.timeout,
    },
    latency_us = {
      p50 = latency:percentile(50), p95 = latency:percentile(95), p99 = latency:percentile(99),
      max = latency.max, mean = latency.mean,
    },
  }))
end
