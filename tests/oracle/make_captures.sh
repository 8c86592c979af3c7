#!/usr/bin/env bash
# make_captures.sh OUTDIR — real Linux traffic between two network namespaces, captured by tcpdump in every link
# type `synack dump` must decode. The committed corpus in data/captures/oracle/ was made by this script; the
# `interop` CTest label runs it again into a temporary directory.
#
# Topology (no route out of the namespaces; addresses from the benchmarking ranges 198.18.0.0/15 and 2001:2::/48):
#   A = synack-oracle-<pid> (clients)           B = synack-oracle-<pid>-b (servers; captures taken here)
#   a0 ── veth ── b0     198.18.0.1/24  2001:2::1/64      ↔ 198.18.0.2  2001:2::2        Ethernet, cooked v1/v2
#   a1 ── veth ── b1     198.18.1.1/24  2001:2:0:1::1/64  ↔ 198.18.1.2  2001:2:0:1::2    802.1Q, VLAN 10
#   a2 ── TUN pair ── b2 198.18.2.1/24  2001:2:0:2::1/64  ↔ 198.18.2.2  2001:2:0:2::2    raw IP (tun_pump.py)
# VLAN tags come from a tc eBPF program (vlan_tag.bpf.c) because kernels without the 8021q module exist (the
# development VM is one); raw IP from TUN devices (libpcap maps ARPHRD_NONE to LINKTYPE_RAW) because ipip/sit
# may be missing too.
#
# Traffic on every link: ping and ping6 (with ARP and neighbour discovery: neighbour caches are flushed first), a UDP
# exchange and a UDP datagram to a closed port (ICMP/ICMPv6 port unreachable), curl against python's http.server
# (IPv4 and IPv6, one 404), nc transfers (IPv4 and IPv6), a half-close (client FIN, then server data), a refused
# connection (RST), and an ECN-negotiated transfer ([SEW]). On b0 alone: a 4 MB transfer with 3 % loss from
# nftables in B (numgen random mod 100 < 3 drop) so that SACK blocks and retransmissions appear.
#
# Outputs (in OUTDIR): eth, sll, sll2, vlan, raw .pcap (everything but MLD reports, which are out of scope) and
# the same five as .tcp.pcap (capture filter `tcp`: these get -v/-vv/-vvv/-e), eth-loss.tcp.pcap (snaplen 128,
# first 4000 packets), and three damaged files derived from eth.pcap (see damage_files below).
#
# Needs root, /dev/net/tun, ip, tc, nft, tcpdump, curl, nc (netcat-openbsd), ping (iputils-ping), python3, ss;
# clang with the BPF target for the VLAN capture (skipped, with a message, without it). Exits 77 ("skipped") when a
# requirement is missing. Every wait is bounded; namespaces and nftables rules are removed on any exit.
set -euo pipefail

readonly SKIP=77
readonly HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() { echo "make_captures: SKIPPED: $*" >&2; exit "$SKIP"; }
die() { echo "make_captures: error: $*" >&2; exit 1; }
say() { echo "make_captures: [${SECONDS}s] $*" >&2; }

(($# == 1)) || { echo "usage: $0 OUTDIR" >&2; exit 2; }

[[ $(id -u) -eq 0 ]] || skip "needs root (network namespaces, veth, TUN, tcpdump)"
[[ -c /dev/net/tun ]] || skip "/dev/net/tun is missing (the raw-IP capture runs over TUN devices)"
for tool in ip tc nft tcpdump curl nc ping python3 ss timeout; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done
if ! nc -h 2>&1 | grep -q -- '-N'; then
    skip "nc is not netcat-openbsd (need -N for the half-close)"
fi
CLANG=$(command -v clang-14 || command -v clang || true)
# The system interpreter: a version-manager shim (pyenv) in PATH can cost a second per start.
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

mkdir -p "$1"
readonly OUT=$(cd "$1" && pwd)
readonly NS_A="synack-oracle-$$"
readonly NS_B="synack-oracle-$$-b"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/synack-oracle.XXXXXX")
readonly WORK
declare -a background=() # every background process this script started, each the leader of its own group

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    local pid
    for pid in "${background[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    for pid in "${background[@]}"; do wait "$pid" 2>/dev/null; done
    ip netns exec "$NS_B" nft delete table inet synack_oracle 2>/dev/null
    ip netns del "$NS_A" 2>/dev/null
    ip netns del "$NS_B" 2>/dev/null
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

# start_bg COMMAND…: runs COMMAND in the background in a process group of its own (setsid execs it directly, so
# $! is the group's id): stopping it with kill -- -PID also stops the children of `ip netns exec` and `timeout`.
# The caller reads the pid from $last_bg.
last_bg=
start_bg() {
    setsid "$@" &
    last_bg=$!
    background+=("$last_bg")
}

# pin_sysctls NS: every setting the traffic depends on, so that the captures look the same on any host (a new
# namespace otherwise inherits e.g. the host's congestion control, and kernels differ in their defaults).
# Congestion control: reno, because a namespace may only select algorithms in the host's
# tcp_allowed_congestion_control, and reno is the one that is always allowed (cubic is not, e.g. where the host
# allows "reno bbr").
pin_sysctls() {
    ip netns exec "$1" sysctl -q -w \
        net.ipv4.tcp_timestamps=1 net.ipv4.tcp_sack=1 net.ipv4.tcp_dsack=1 net.ipv4.tcp_window_scaling=1 \
        net.ipv4.tcp_ecn=2 net.ipv4.tcp_ecn_fallback=1 net.ipv4.tcp_congestion_control=reno \
        "net.ipv4.tcp_rmem=4096 131072 6291456" "net.ipv4.tcp_wmem=4096 16384 4194304" \
        net.ipv4.tcp_moderate_rcvbuf=1 net.ipv4.tcp_adv_win_scale=1 net.ipv4.tcp_no_metrics_save=1 \
        net.ipv4.tcp_mtu_probing=0 net.ipv4.tcp_base_mss=1024 net.ipv4.tcp_fastopen=1 net.ipv4.tcp_syncookies=1 \
        net.ipv4.tcp_recovery=1 net.ipv4.tcp_early_retrans=3 net.ipv4.tcp_frto=2 net.ipv4.tcp_reordering=3 \
        net.ipv4.tcp_slow_start_after_idle=1 net.ipv4.tcp_autocorking=1 net.ipv4.tcp_tso_win_divisor=3 \
        net.ipv4.tcp_min_tso_segs=2 net.ipv4.ip_default_ttl=64 net.ipv4.ip_no_pmtu_disc=0 \
        net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
        net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
        net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0 \
        net.ipv6.conf.all.hop_limit=64 net.ipv6.conf.default.hop_limit=64 >/dev/null
}

# wait_listen NS tcp|udp PORT: up to 5 s for a server to bind.
wait_listen() {
    local ns=$1 proto=$2 port=$3 flag=t i
    [[ $proto == udp ]] && flag=u
    for ((i = 0; i < 100; i++)); do
        if ip netns exec "$ns" ss -Hln"$flag" "( sport = :$port )" | grep -q .; then
            return 0
        fi
        sleep 0.05
    done
    die "nothing listens on $proto port $port in $ns"
}

# wait_line FILE TEXT PID: up to 10 s for a background process to write TEXT (and still be running).
wait_line() {
    local file=$1 text=$2 pid=$3 i
    for ((i = 0; i < 200; i++)); do
        if grep -q -- "$text" "$file" 2>/dev/null; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || die "process $pid exited before writing '$text': $(cat "$file" 2>/dev/null)"
        sleep 0.05
    done
    die "process $pid did not write '$text' within 10 s"
}

# start_capture FILE NS IFACE FILTER [tcpdump options…]: tcpdump writing WORK/FILE, started and ready.
# --immediate-mode: with TPACKET_V3, libpcap otherwise hands packets over a block at a time, and the packets of the
# block still open when tcpdump is stopped are lost (the end of the traffic would be missing). -B: room for the
# loss transfer's bursts (no "dropped by kernel").
declare -a capture_pids=()
start_capture() {
    local file=$1 ns=$2 iface=$3 filter=$4
    shift 4
    start_bg ip netns exec "$ns" timeout 300 tcpdump --immediate-mode -U -B 16384 -i "$iface" "$@" -w "$WORK/$file" "$filter" \
        2>"$WORK/$file.log"
    local pid=$last_bg
    capture_pids+=("$pid")
    wait_line "$WORK/$file.log" "listening on" "$pid"
}

# stop_captures: SIGTERM (tcpdump flushes and closes its file), then wait; moves the files to OUT.
stop_captures() {
    local pid
    sleep 0.3 # the last packets' capture
    for pid in "${capture_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in "${capture_pids[@]}"; do wait "$pid" || true; done
    capture_pids=()
}

flush_neighbours() {
    local dev
    for dev in "$@"; do
        in_a ip neigh flush dev "a${dev}"
        in_b ip neigh flush dev "b${dev}"
    done
}

# nc_transfer ADDR PORT FILE: one nc connection carrying FILE from A to B; the client shuts down its sending side
# at the end of FILE (-N), the server then closes too.
nc_transfer() {
    local addr=$1 port=$2 file=$3
    start_bg ip netns exec "$NS_B" timeout 30 nc -l "$addr" "$port" </dev/null >/dev/null
    local server=$last_bg
    wait_listen "$NS_B" tcp "$port"
    in_a timeout 30 nc -N "$addr" "$port" <"$file" >/dev/null
    wait "$server" || die "nc server on $addr port $port failed"
}

# scenarios LINK V4 V6: the traffic every link carries (client in A, servers in B).
scenarios() {
    local link=$1 v4=$2 v6=$3 url6
    url6="http://[$v6]"
    if [[ $link != 2 ]]; then flush_neighbours "$link"; fi
    in_a ping -c 2 -i 0.2 -W 2 "$v4" >/dev/null
    in_a ping -6 -c 2 -i 0.2 -W 2 "$v6" >/dev/null
    if [[ $link != 2 ]]; then flush_neighbours "$link"; fi
    in_a timeout 10 "$PYTHON" "$HERE/oracle_peers.py" udp-ask "$v4" 9003 "hello over udp" >/dev/null
    in_a timeout 10 "$PYTHON" "$HERE/oracle_peers.py" udp-ask "$v6" 9003 "hello over udp6" >/dev/null
    in_a timeout 10 "$PYTHON" "$HERE/oracle_peers.py" udp-ask "$v4" 9004 "anyone there?" >/dev/null
    in_a timeout 10 "$PYTHON" "$HERE/oracle_peers.py" udp-ask "$v6" 9004 "anyone there?" >/dev/null
    if [[ $link != 2 ]]; then flush_neighbours "$link"; fi
    in_a timeout 20 curl -sS -o /dev/null "http://$v4/"
    in_a timeout 20 curl -sS -o /dev/null "$url6/index.html"
    in_a timeout 20 curl -sS -o /dev/null "http://$v4/missing"
    nc_transfer "$v4" 9000 "$WORK/lines.txt"
    nc_transfer "$v6" 9000 "$WORK/lines.txt"
    in_a timeout 20 nc -N "$v4" 9001 <"$WORK/request.txt" >/dev/null
    in_a timeout 20 nc -N "$v6" 9001 <"$WORK/request.txt" >/dev/null
    in_a timeout 10 nc -z -w 2 "$v4" 9999 && die "port 9999 unexpectedly open"
    in_a timeout 10 nc -z -w 2 "$v6" 9999 && die "port 9999 unexpectedly open"
    # ECN: the client asks for it (RFC 3168: SYN with ECE+CWR, [SEW]); the server's tcp_ecn=2 accepts ([S.E]).
    in_a sysctl -q -w net.ipv4.tcp_ecn=1
    nc_transfer "$v4" 9005 "$WORK/request.txt"
    in_a sysctl -q -w net.ipv4.tcp_ecn=2
}

readonly MIXED='not (ip6 and ip6[6] == 0)' # everything but hop-by-hop packets (MLD reports, out of scope)

say "namespaces $NS_A and $NS_B, work directory $WORK"
ip netns add "$NS_A"
ip netns add "$NS_B"
for ns in "$NS_A" "$NS_B"; do
    pin_sysctls "$ns"
    ip -n "$ns" link set lo up
done

# Payloads: text, so that -A and -X show readable lines; the loss transfer carries pseudo-random bytes.
mkdir -p "$WORK/www"
seq -f 'line %05g: the quick brown fox jumps over the lazy dog' 1 300 >"$WORK/lines.txt"  # 16.8 kB
seq -f '<p>paragraph %03g of the oracle test page</p>' 1 80 >"$WORK/www/index.html"      # 3.4 kB
printf 'half-close request: the server answers only after this side has sent its FIN\n' >"$WORK/request.txt"
"$PYTHON" -c 'import random,sys; sys.stdout.buffer.write(random.Random(2).randbytes(4 << 20))' >"$WORK/big.bin"

# Link 0: veth, Ethernet. Fixed MACs: a Cisco OUI on the client side (tcpdump without -n prints "(oui Cisco)"),
# a locally administered address on the server side ("(oui Unknown)").
ip link add a0 netns "$NS_A" address 00:00:0c:5a:00:01 type veth peer name b0 netns "$NS_B" address 02:00:00:5a:00:02
# Link 1: veth with 802.1Q tags on the wire.
ip link add a1 netns "$NS_A" address 00:00:0c:5a:01:01 type veth peer name b1 netns "$NS_B" address 02:00:00:5a:01:02
for dev in 0 1; do
    # One MSS per packet on the wire (no 64 kB GSO super-packets), as a physical link would carry them.
    ip -n "$NS_A" link set "a$dev" gso_max_segs 1 up
    ip -n "$NS_B" link set "b$dev" gso_max_segs 1 up
    in_a ip addr add "198.18.$dev.1/24" dev "a$dev"
    in_b ip addr add "198.18.$dev.2/24" dev "b$dev"
done
in_a ip -6 addr add 2001:2::1/64 dev a0 nodad
in_b ip -6 addr add 2001:2::2/64 dev b0 nodad
in_a ip -6 addr add 2001:2:0:1::1/64 dev a1 nodad
in_b ip -6 addr add 2001:2:0:1::2/64 dev b1 nodad

have_vlan=0
if [[ -n $CLANG ]] && "$CLANG" -O2 -target bpf -DVLAN_PUSH -c "$HERE/vlan_tag.bpf.c" -o "$WORK/vlan_push.o" 2>"$WORK/clang.log" &&
    "$CLANG" -O2 -target bpf -DVLAN_POP -c "$HERE/vlan_tag.bpf.c" -o "$WORK/vlan_pop.o" 2>>"$WORK/clang.log"; then
    for end in "$NS_A:a1" "$NS_B:b1"; do
        ip netns exec "${end%%:*}" tc qdisc add dev "${end##*:}" clsact
        ip netns exec "${end%%:*}" tc filter add dev "${end##*:}" egress bpf da obj "$WORK/vlan_push.o" sec tc
        ip netns exec "${end%%:*}" tc filter add dev "${end##*:}" ingress bpf da obj "$WORK/vlan_pop.o" sec tc
    done
    have_vlan=1
else
    say "no clang with the BPF target: the 802.1Q capture (vlan*.pcap) is skipped $(cat "$WORK/clang.log" 2>/dev/null)"
fi

# Link 2: two TUN devices joined by tun_pump.py.
start_bg "$PYTHON" "$HERE/tun_pump.py" "$NS_A" a2 "$NS_B" b2 --seconds 300 >"$WORK/pump.log" 2>&1
wait_line "$WORK/pump.log" ready "$last_bg"
in_a ip addr add 198.18.2.1/24 dev a2 # on-link prefixes: a TUN device needs no ARP or neighbour discovery
in_b ip addr add 198.18.2.2/24 dev b2
in_a ip -6 addr add 2001:2:0:2::1/64 dev a2 nodad
in_b ip -6 addr add 2001:2:0:2::2/64 dev b2 nodad
in_a ip link set a2 up
in_b ip link set b2 up

# Servers in B, listening on every address of every link.
start_bg ip netns exec "$NS_B" timeout 300 "$PYTHON" -m http.server --bind :: --directory "$WORK/www" 80 \
    >/dev/null 2>&1
start_bg ip netns exec "$NS_B" timeout 300 "$PYTHON" "$HERE/oracle_peers.py" udp-echo --port 9003 --seconds 300 \
    >/dev/null
start_bg ip netns exec "$NS_B" timeout 300 "$PYTHON" "$HERE/oracle_peers.py" half-close --port 9001 --seconds 300 \
    >/dev/null
wait_listen "$NS_B" tcp 80
wait_listen "$NS_B" udp 9003
wait_listen "$NS_B" tcp 9001
sleep 0.5 # let link-up chatter (MLD reports) pass before the first capture

say "link 0: Ethernet and Linux cooked v1/v2"
start_capture eth.pcap "$NS_B" b0 "$MIXED"
start_capture eth.tcp.pcap "$NS_B" b0 tcp
start_capture sll.pcap "$NS_B" any "$MIXED" -y LINUX_SLL
start_capture sll.tcp.pcap "$NS_B" any tcp -y LINUX_SLL
start_capture sll2.pcap "$NS_B" any "$MIXED" -y LINUX_SLL2
start_capture sll2.tcp.pcap "$NS_B" any tcp -y LINUX_SLL2
scenarios 0 198.18.0.2 2001:2::2
stop_captures

if ((have_vlan)); then
    say "link 1: 802.1Q"
    start_capture vlan.pcap "$NS_B" b1 "vlan and $MIXED"
    start_capture vlan.tcp.pcap "$NS_B" b1 "vlan and tcp"
    scenarios 1 198.18.1.2 2001:2:0:1::2
    stop_captures
fi

say "link 2: raw IP over TUN"
start_capture raw.pcap "$NS_B" b2 "$MIXED"
start_capture raw.tcp.pcap "$NS_B" b2 tcp
scenarios 2 198.18.2.2 2001:2:0:2::2
stop_captures

say "link 0: 4 MB with 3 % loss"
# The drop is in B's prerouting hook, after the capture point on b0: the capture shows each lost segment once,
# then B's SACK blocks and A's retransmission — what a tcpdump at either end of a lossy path shows. (A drop in A's
# output hook would not do: TCP learns of a local netfilter drop and simply sends the segment again.)
in_b nft -f - <<'EOF'
table inet synack_oracle {
    chain loss {
        type filter hook prerouting priority -300; policy accept;
        tcp dport 9002 numgen random mod 100 < 3 drop
    }
}
EOF
start_capture eth-loss.tcp.pcap "$NS_B" b0 "tcp port 9002" -s 128 -c 4000
nc_transfer 198.18.0.2 9002 "$WORK/big.bin"
stop_captures
in_b nft delete table inet synack_oracle

# damage_files: three broken files derived from eth.pcap, for "a damaged or truncated capture file gives a clear
# message and a non-zero exit code" (issue 2, point 4): the packets before the damage print, then both fail.
damage_files() {
    "$PYTHON" - "$WORK/eth.pcap" "$WORK" <<'EOF'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
records, offset = [], 24
while offset + 16 <= len(data):
    caplen = struct.unpack_from("<I", data, offset + 8)[0]
    records.append(offset)
    offset += 16 + caplen
assert len(records) >= 8, "eth.pcap too short"
# Cut in the middle of the 6th packet's data.
open(f"{out}/damaged-truncated.pcap", "wb").write(data[: records[5] + 16 + 10])
# Only 20 of the 24 bytes of the file header.
open(f"{out}/damaged-header.pcap", "wb").write(data[:20])
# The 4th record claims 300000 captured bytes: more than the file's snapshot length and libpcap's maximum.
bad = bytearray(data[: records[6]])
struct.pack_into("<II", bad, records[3] + 8, 300000, 300000)
open(f"{out}/damaged-caplen.pcap", "wb").write(bytes(bad))
EOF
}
damage_files

# Every capture must hold packets; the loss capture must show SACK blocks.
for log in "$WORK"/*.pcap.log; do
    file=${log%.log}
    count=$(tcpdump -nn -r "$file" 2>/dev/null | wc -l)
    ((count > 0)) || die "$(basename "$file") captured no packets: $(tail -n 3 "$log")"
    say "$(basename "$file"): $count packets"
done
for file in "$WORK"/{eth,sll,sll2,vlan,raw}{,.tcp}.pcap; do
    [[ -f $file ]] || continue
    # The ECN transfer comes last: its SYN proves the capture holds the end of the traffic.
    tcpdump -nn -r "$file" 2>/dev/null | grep -q 'Flags \[SEW\]' || die "$(basename "$file") lacks the ECN SYN"
done
for log in "$WORK"/*.pcap.log; do
    if grep -q '^[1-9][0-9]* packets\? dropped by kernel' "$log"; then
        die "$(basename "${log%.log}"): $(grep 'dropped by kernel' "$log")"
    fi
done
sacks=$(tcpdump -nn -r "$WORK/eth-loss.tcp.pcap" 2>/dev/null | grep -c 'sack [0-9]' || true)
((sacks > 0)) || die "eth-loss.tcp.pcap shows no SACK blocks"
retransmitted=$(tcpdump -nn -S -r "$WORK/eth-loss.tcp.pcap" 2>/dev/null | grep -o 'seq [0-9]*:[0-9]*' | sort | uniq -d |
    wc -l)
((retransmitted > 0)) || die "eth-loss.tcp.pcap shows no retransmission"
say "eth-loss.tcp.pcap: $sacks packets with SACK blocks, $retransmitted segments sent more than once"

cp "$WORK"/*.pcap "$OUT"/
say "wrote $(ls "$WORK"/*.pcap | wc -l) captures to $OUT"
