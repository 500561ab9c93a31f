#!/usr/bin/env bash
# Peak memory for one very long text: the CLI embedding one 28 MB line, and the server answering three concurrent
# /embed requests of 28 MB each. Prints peak resident memory (CLI), resident memory before, at the peak and after
# (server), and the HTTP statuses.
#
#   benchmarks/long-text-memory/measure.sh MODEL_DIR [MEGABYTES] [words|letters]
#
# "words" repeats an English sentence (text as people write it); "letters" is one 28 MB word without spaces.
# Needs bash, curl and GNU time (/usr/bin/time); Linux (reads /proc).
set -euo pipefail

model=${1:?usage: measure.sh MODEL_DIR [MEGABYTES] [words|letters]}
megabytes=${2:-28}
kind=${3:-words}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build "$root/samples/Embeddings.Cli/Embeddings.Cli.csproj" -c Release -v q -nologo >/dev/null
dotnet build "$root/samples/Embeddings.Server/Embeddings.Server.csproj" -c Release -v q -nologo >/dev/null
cli="$root/samples/Embeddings.Cli/bin/Release/net10.0/Embeddings.Cli"
server="$root/samples/Embeddings.Server/bin/Release/net10.0/Embeddings.Server"

bytes=$((megabytes * 1024 * 1024))
if [[ $kind == letters ]]; then
  text=$(head -c "$bytes" /dev/zero | tr '\0' 'a' || true)
else
  text=$(yes 'The quick brown fox jumps over the lazy dog, and the dog sleeps on. ' | tr -d '\n' | head -c "$bytes" || true)
fi
printf '{"text":"%s"}\n' "$text" > "$work/cli.jsonl"
printf '{"inputs":"%s"}' "$text" > "$work/embed.json"
unset text
echo "text: $megabytes MB of $kind"

/usr/bin/time -f '%M %e' -o "$work/time" "$cli" embed --model "$model" --input "$work/cli.jsonl" > "$work/cli.out"
read -r cli_kb cli_seconds < "$work/time"
echo "CLI: exit 0, $(wc -l < "$work/cli.out") vector, peak RSS $((cli_kb / 1024)) MB, ${cli_seconds} s"

port=$((20000 + RANDOM % 20000))
"$server" --model "$model" --urls "http://127.0.0.1:$port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$server_pid/status"; }
before=$(rss)
for i in 1 2 3; do
  curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' --data-binary "@$work/embed.json" \
    "http://127.0.0.1:$port/embed" > "$work/status.$i" &
done
peak=$before
while jobs -r | grep -q curl; do now=$(rss); ((now > peak)) && peak=$now; sleep 0.05; done
wait_for=$(jobs -p | grep -v "^$server_pid$" || true); [[ -n $wait_for ]] && wait $wait_for
sleep 5
after=$(rss)
echo "server: statuses $(cat "$work"/status.* | tr '\n' ' ')"
echo "server: RSS before ${before} MB, peak ${peak} MB (+$((peak - before)) MB), 5 s after ${after} MB"
