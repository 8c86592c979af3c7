#include "tools/drill/commands.hpp"

#include <cctype>

#include "tools/drill/text.hpp"

namespace synack::drill {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Shell words with single and double quotes removed (no expansions: a `$` makes the command unsupported).
std::vector<std::string> words(std::string_view s, bool& ok) {
    std::vector<std::string> out;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (const char c : s) {
        if (quote != 0) {
            if (c == quote) quote = 0;
            else word += c;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_word) out.push_back(word);
            word.clear();
            in_word = false;
        } else {
            if (c == '$' || c == '`' || c == '|' || c == '<' || c == '*' || c == '?') ok = false;
            word += c;
            in_word = true;
        }
    }
    if (quote != 0) ok = false;
    if (in_word) out.push_back(word);
    return out;
}

// "/proc/sys/net/ipv4/tcp_sack" → "net.ipv4.tcp_sack"; a dotted name stays as it is.
std::string sysctl_name(std::string_view path) {
    constexpr std::string_view kProc = "/proc/sys/";
    if (path.substr(0, kProc.size()) != kProc) return std::string(path);
    std::string name(path.substr(kProc.size()));
    for (char& c : name) {
        if (c == '/') c = '.';
    }
    return name;
}

bool assignment(std::string_view word, std::vector<SysctlAssignment>& out) {
    const std::size_t eq = word.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    out.push_back({sysctl_name(word.substr(0, eq)), std::string(trim(word.substr(eq + 1)))});
    return true;
}

// One simple command; false if drill does not understand it.
bool plan_one(std::string_view command, CommandPlan& plan) {
    bool ok = true;
    const std::vector<std::string> w = words(command, ok);
    if (!ok || w.empty()) return w.empty() && ok;
    const std::string& program = w[0];
    if (program == "sysctl") {
        bool any = false;
        for (std::size_t i = 1; i < w.size(); ++i) {
            if (w[i] == "-q" || w[i] == "-w" || w[i] == "-qw" || w[i] == "-wq") continue;
            if (!assignment(w[i], plan.sysctls)) return false;
            any = true;
        }
        return any;
    }
    if (ends_with(program, "set_sysctls.py")) {
        for (std::size_t i = 1; i < w.size(); ++i) {
            if (!assignment(w[i], plan.sysctls)) return false;
        }
        return w.size() > 1;
    }
    if (ends_with(program, "defaults.sh") && w.size() == 1) {
        for (SysctlAssignment& a : packetdrill_defaults()) plan.sysctls.push_back(std::move(a));
        return true;
    }
    // echo VALUE > /proc/sys/...
    if (program == "echo" && w.size() >= 3 && w[w.size() - 2] == ">") {
        std::string value;
        for (std::size_t i = 1; i + 2 < w.size(); ++i) value += (value.empty() ? "" : " ") + w[i];
        const std::string& path = w.back();
        if (path.rfind("/proc/sys/", 0) != 0) return false;
        plan.sysctls.push_back({sysctl_name(path), value});
        return true;
    }
    return false;
}

}  // namespace

std::vector<SysctlAssignment> packetdrill_defaults() {
    // gtests/net/common/defaults.sh, value by value. Not mapped: `ip tcp_metrics flush all` (a fresh stack
    // or namespace has no metrics), `tc qdisc add dev tun0 root pfifo` (synack has no qdisc; the kernel
    // backend's fresh TUN device queues without pacing), and net.ipv4.tcp_fack, which Linux removed in 4.18
    // (`sysctl -q` on it fails and defaults.sh goes on).
    return {
        {"net.ipv4.tcp_rmem", "4096 540000 15728640"},
        {"net.ipv4.tcp_wmem", "4096 262144 4194304"},
        {"net.ipv4.tcp_timestamps", "1"},
        {"net.ipv4.tcp_syn_retries", "5"},
        {"net.ipv4.tcp_synack_retries", "5"},
        {"net.ipv4.tcp_frto", "2"},
        {"net.ipv4.tcp_sack", "1"},
        {"net.ipv4.tcp_dsack", "1"},
        {"net.ipv4.tcp_reordering", "3"},
        {"net.ipv4.tcp_congestion_control", "cubic"},
        {"net.ipv4.tcp_slow_start_after_idle", "0"},
        {"net.ipv4.tcp_early_retrans", "4"},
        {"net.ipv4.tcp_recovery", "1"},
        {"net.ipv4.tcp_tso_win_divisor", "3"},
        {"net.ipv4.tcp_ecn", "0"},
        {"net.ipv4.tcp_pacing_ss_ratio", "200"},
        {"net.ipv4.tcp_pacing_ca_ratio", "120"},
        {"net.ipv4.tcp_notsent_lowat", "4294967295"},
        {"net.ipv4.tcp_fastopen", "0x70403"},
        {"net.ipv4.tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"},
        {"net.ipv4.tcp_syncookies", "1"},
        {"net.mptcp.enabled", "1"},
    };
}

CommandPlan plan_command(std::string_view raw) {
    CommandPlan plan;
    // A backslash before a newline continues the line, as in the shell.
    std::string joined(raw);
    for (std::size_t at = joined.find("\\\n"); at != std::string::npos; at = joined.find("\\\n", at)) {
        joined.replace(at, 2, " ");
    }
    const std::string_view text = joined;
    // Commands separated by newlines, ';' or '&&' (quotes inside a value never hold these in practice).
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of("\n;&", start);
        if (end == std::string_view::npos) end = text.size();
        std::size_t next = end + 1;
        if (end < text.size() && text[end] == '&') {
            if (end + 1 >= text.size() || text[end + 1] != '&') {
                plan.unsupported = "command not understood: " + std::string(trim(text));
                return plan;
            }
            next = end + 2;
        }
        const std::string_view one = trim(text.substr(start, end - start));
        if (!one.empty() && !plan_one(one, plan)) {
            plan.unsupported = "command not understood: " + std::string(one);
            return plan;
        }
        start = next;
    }
    return plan;
}

}  // namespace synack::drill
