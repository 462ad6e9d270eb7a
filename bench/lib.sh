# Shared by the route benches (bench/resources.sh, bench/reports.sh): a free port, one wrk run
# as "req/s p50 p99", a share as a percentage, the median of ROUNDS lines, and a Markdown row's
# cells beside the bare route ($BARE) and /healthz ($TRIV). Needs THREADS, CONNECTIONS,
# DURATION and ROUNDS set.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wrk_run() {
  local url=$1; shift
  local out; out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  [ -n "$non2xx" ] && echo "warning: $non2xx non-2xx answers on $url" >&2
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}
pct() { python3 -c "print(f'{$1/$2*100:.1f}%')"; }
median() { sort -g -k1,1 | sed -n "$((ROUNDS / 2 + 1))p"; }
cells() {
  local rps p50 p99; read -r rps p50 p99 <<<"$1"
  echo "| $rps | $p50 | $p99 | $(pct "$rps" "${BARE%% *}") | $(pct "$rps" "${TRIV%% *}") |"
}
