#!/usr/bin/env bash
# Peak memory of long and large replies (not a test). Builds the release
# binary, starts the offline backend with fault injection, and measures the
# peak RSS of `img2yt send` for (1) a stream of 100,000 events — text pieces
# of many separate messages, tool calls and heartbeats — and (2) one 2 MB
# text event. Fails when either peak reaches 64 MB: the stream must be read
# in bounded memory, whatever its length.
source "$(dirname "$0")/lib.sh"
budget_kb=$((64 * 1024))
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
start_backend --faults

script() { curl -fsS -H 'Content-Type: application/json' -d "$1" "$url/__control/script" >/dev/null; }
measure() { # label
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" send "hello" >"$tmp/out" 2>/dev/null
  read -r wall rss <"$tmp/time"
  echo "$1: ${wall} s, peak RSS ${rss} KB, $(wc -c <"$tmp/out") bytes shown"
  [ "$rss" -lt "$budget_kb" ] || { echo "over the ${budget_kb} KB budget"; exit 1; }
}

# 25,000 rounds of: a partial piece, its aggregate, a tool call, a heartbeat.
piece='{"type":"event","event":{"content":{"role":"model","parts":[{"text":"Adding a clip. "}]},"partial":true}}'
agg='{"type":"event","event":{"content":{"role":"model","parts":[{"text":"Adding a clip. "}]}}}'
call='{"type":"event","event":{"content":{"role":"model","parts":[{"functionCall":{"name":"edit_draft","args":{}}}]}}}'
script "{\"frames\":[{\"type\":\"repeat\",\"times\":25000,\"frame\":{\"type\":\"raw\",\"text\":\"\"}},
  {\"type\":\"repeat\",\"times\":25000,\"frame\":$piece},{\"type\":\"repeat\",\"times\":25000,\"frame\":$agg},
  {\"type\":\"repeat\",\"times\":25000,\"frame\":$call},{\"type\":\"repeat\",\"times\":25000,\"frame\":{\"type\":\"heartbeat\"}}]}"
measure "100,000 events"

big=$(head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a')
printf '{"frames":[{"type":"event","event":{"content":{"role":"model","parts":[{"text":"%s"}]}}}]}' "$big" >"$tmp/big.json"
curl -fsS -H 'Content-Type: application/json' --data-binary @"$tmp/big.json" "$url/__control/script" >/dev/null
measure "one 2 MB event"
