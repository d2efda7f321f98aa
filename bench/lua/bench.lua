-- One wrk script for every scenario, configured by environment variables (bench/run sets them).
--
--   BENCH_FILE     requests, one a line: METHOD <TAB> PATH <TAB> BODY (BODY may be empty).
--                  Thread k of T sends lines START+k, START+k+T, ... so that no two requests
--                  share a line (unique ids per request); past the end it wraps (counted).
--   BENCH_SHARED   "1": every thread sends every line (one static request).
--   BENCH_START    first line to use (default 0), so a later run does not reuse ids.
--   BENCH_HEADERS  extra headers, "Name: value" pairs separated by "|".
--   BENCH_TEMPLATE instead of BENCH_FILE: one request line whose "{n}" is replaced by a
--                  text unique to the request (PayPro order numbers): BENCH_NONCE (one per
--                  run) - thread - counter.
--   BENCH_OK       a plain substring every good answer's body holds; answers without it (or
--                  with a status other than 200) are counted as "bad".
--   BENCH_RATE     total requests a second for a constant-rate run (wrk has no -R): each
--                  request is scheduled at its slot START + i/rate, and delay() holds it until
--                  then. How late requests left their slot is reported ("late_*"): when that
--                  is near zero the latencies are free of coordinated omission.
--   BENCH_STOP     stop each thread after this many answers (for "1,000,000 requests").
--   BENCH_THREADS  wrk's -t (needed before the threads exist).
--
-- done() prints one line "BENCH_JSON {...}" that bench/run reads.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local function split(text, sep)
  local out = {}
  for piece in string.gmatch(text, "([^" .. sep .. "]+)") do
    out[#out + 1] = piece
  end
  return out
end

local headers = {}
for _, pair in ipairs(split(os.getenv("BENCH_HEADERS") or "", "|")) do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local threads = {}
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

-- Per-thread state (each thread has its own Lua state; thread_id is set by setup()).
local raw = {}        -- preformatted requests of this thread
local template = nil  -- method, path, body with {n}
local cursor = 1
local verified = false
local shared = os.getenv("BENCH_SHARED") == "1"
wrapped = 0
ok = 0
bad = 0
answers = 0
late_max = 0
late_sum = 0
late_over_1ms = 0
sent = 0

local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local stop_after = tonumber(os.getenv("BENCH_STOP") or "0")
local ok_marker = os.getenv("BENCH_OK")
local interval_us, next_slot = 0, 0

local function parse_line(line)
  local method, path, body = string.match(line, "^([^\t]*)\t([^\t]*)\t?(.*)$")
  if body == "" then body = nil end
  return method, path, body
end

function init(args)
  local id = thread_id or 0
  local file = os.getenv("BENCH_FILE")
  local tmpl = os.getenv("BENCH_TEMPLATE")
  if tmpl then
    template = { parse_line(tmpl) }
  else
    local start = tonumber(os.getenv("BENCH_START") or "0")
    local index = 0
    for line in io.lines(file) do
      if index >= start and (shared or (index - start) % thread_count == id) then
        local method, path, body = parse_line(line)
        raw[#raw + 1] = wrk.format(method, path, headers, body)
      end
      index = index + 1
    end
    if #raw == 0 then error("no requests for thread " .. id .. " in " .. file) end
  end
  if rate > 0 then
    -- Each thread sends its share of the rate; slots start 100 ms from now.
    interval_us = 1000000 * thread_count / rate
    next_slot = now_us() + 100000 + interval_us * id / thread_count
  end
end

codes = {}
bad_codes = ""
local counter = 0
local nonce = os.getenv("BENCH_NONCE") or "0"
function request()
  if template then
    counter = counter + 1
    local n = nonce .. "-" .. (thread_id or 0) .. "-" .. counter
    local body = template[3] and string.gsub(template[3], "{n}", n) or nil
    local path = string.gsub(template[2], "{n}", n)
    return wrk.format(template[1], path, headers, body)
  end
  local r = raw[cursor]
  if not verified and (thread_id or 0) == 0 then
    -- wrk calls request() once on the first thread to check it, and never sends that one.
    verified = true
    return r
  end
  cursor = cursor + 1
  if cursor > #raw then
    cursor = 1
    if not shared then wrapped = wrapped + 1 end
  end
  return r
end

if rate > 0 then
  -- Called just before a connection sends its next request: hold it until its slot.
  function delay()
    local slot = next_slot
    next_slot = next_slot + interval_us
    local now = now_us()
    local wait = slot - now
    sent = sent + 1
    if wait > 0 then
      return math.floor(wait / 1000)
    end
    local late = -wait
    late_sum = late_sum + late
    if late > late_max then late_max = late end
    if late > 1000 then late_over_1ms = late_over_1ms + 1 end
    return 0
  end
end

if ok_marker or stop_after > 0 then
  function response(status, hdrs, body)
    answers = answers + 1
    if ok_marker then
      if status == 200 and body and string.find(body, ok_marker, 1, true) then
        ok = ok + 1
      else
        bad = bad + 1
        local code = (body and (string.match(body, '"code":"([^"]+)"') or string.match(body, '"Status":"(%d+)"')
          or string.match(body, '"status_code":(%d+)') or string.match(body, '"errorCode":(%d+)'))) or "?"
        code = status .. ":" .. code
        codes[code] = (codes[code] or 0) + 1
        bad_codes = ""
        for k, v in pairs(codes) do bad_codes = bad_codes .. k .. "=" .. v .. ";" end
        if bad <= 3 then
          io.stderr:write("BENCH_BAD " .. status .. " " .. string.sub(body or "", 1, 300) .. "\n")
        end
      end
    end
    if stop_after > 0 and answers >= stop_after then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local totals = { ok = 0, bad = 0, wrapped = 0, late_max = 0, late_sum = 0,
                   late_over_1ms = 0, sent = 0 }
  for _, t in ipairs(threads) do
    for name, _ in pairs(totals) do
      local v = tonumber(t:get(name)) or 0
      if name == "late_max" then
        if v > totals.late_max then totals.late_max = v end
      else
        totals[name] = totals[name] + v
      end
    end
  end
  local all_codes = {}
  for _, t in ipairs(threads) do
    for k, v in string.gmatch(t:get("bad_codes") or "", "([^=;]+)=(%d+);") do
      all_codes[k] = (all_codes[k] or 0) + tonumber(v)
    end
  end
  local code_parts = {}
  for k, v in pairs(all_codes) do code_parts[#code_parts + 1] = string.format('"%s":%d', k, v) end
  local e = summary.errors
  local parts = {
    string.format('"requests":%d', summary.requests),
    string.format('"duration_us":%d', summary.duration),
    string.format('"bytes":%d', summary.bytes),
    string.format('"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d',
      e.connect, e.read, e.write, e.status, e.timeout),
    string.format('"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f',
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency:percentile(99.9), latency.max, latency.mean),
    string.format('"ok":%d,"bad":%d,"wrapped":%d', totals.ok, totals.bad, totals.wrapped),
    '"bad_codes":{' .. table.concat(code_parts, ",") .. '}',
    string.format('"late_max_us":%d,"late_mean_us":%.1f,"late_over_1ms":%d,"scheduled":%d',
      totals.late_max, totals.sent > 0 and totals.late_sum / totals.sent or 0,
      totals.late_over_1ms, totals.sent),
  }
  io.write("BENCH_JSON {" .. table.concat(parts, ",") .. "}\n")
end
