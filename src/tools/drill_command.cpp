// `synack drill [options] FILE.pkt...`. The options are packetdrill's (tools/drill/options.hpp), parsed by the
// same table that reads a script's own option lines, so `--tolerance_usecs=10000`, `--tolerance_usecs 10000`
// and `-D NAME=value` mean the same on the command line and in a script; plus `--stack=synack|linux`.
#include "tools/drill_command.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "tools/drill/linux_backend.hpp"
#include "tools/drill/options.hpp"
#include "tools/drill/parser.hpp"
#include "tools/drill/runner.hpp"
#include "tools/drill/synack_backend.hpp"

namespace synack::tools {
namespace {

using drill::ScriptResult;

constexpr std::string_view kUsage =
    "usage: synack drill [options] FILE.pkt...\n"
    "\n"
    "Runs packetdrill scripts against a TCP stack and reports each as passed, failed or skipped.\n"
    "\n"
    "  --stack=synack|linux      the stack under test: synack in virtual time (default), or the running\n"
    "                            Linux kernel through a TUN device in a namespace of its own (needs root)\n"
    "  --ip_version=ipv4|ipv6|ipv4-mapped-ipv6\n"
    "  --local_ip=A --remote_ip=A --gateway_ip=A   (defaults in 198.18.0.0/15 and 2001:2::/48)\n"
    "  --bind_port=N --connect_port=N              (8080)\n"
    "  --mtu=N --mss=N\n"
    "  --tolerance_usecs=N       (4000)   --tolerance_percent=P   (12.5, of the gap since the last event)\n"
    "  --tcp_ts_tick_usecs=N     check outbound TS val at this tick (0: not checked)\n"
    "  --strict_segments         no merging of outbound segments into a larger scripted one\n"
    "  -D NAME=value             a definition the script can name\n"
    "  --dry_run                 parse the scripts only\n"
    "  -v, --verbose             print every event as it runs\n";

struct Arguments {
    std::string stack = "synack";
    drill::OptionList options;
    std::vector<std::string> files;
    bool dry_run = false;
    bool verbose = false;
};

// getopt_long's forms: --name=value, --name value, -D NAME=value, -DNAME=value, -v.
bool parse_arguments(int argc, char** argv, Arguments& out, std::string& error) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage.data(), stdout);
            std::exit(0);
        }
        if (a == "-v") {
            out.options.emplace_back("v", std::nullopt);
            continue;
        }
        if (a.substr(0, 2) == "-D") {
            std::string value(a.substr(2));
            if (value.empty()) {
                if (i + 1 >= argc) return error = "-D needs NAME=value", false;
                value = argv[++i];
            }
            out.options.emplace_back("D", value);
            continue;
        }
        if (a.substr(0, 2) != "--") {
            if (!a.empty() && a[0] == '-') return error = "unknown option " + std::string(a), false;
            out.files.emplace_back(a);
            continue;
        }
        std::string name(a.substr(2));
        std::optional<std::string> value;
        if (const std::size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (name == "stack") {
            if (!value) {
                if (i + 1 >= argc) return error = "--stack needs synack or linux", false;
                value = argv[++i];
            }
            if (*value != "synack" && *value != "linux") return error = "bad --stack: " + *value, false;
            out.stack = *value;
            continue;
        }
        const std::optional<bool> takes = drill::option_takes_value(name);
        if (!takes) return error = "unknown option --" + name, false;
        if (*takes && !value) {
            if (i + 1 >= argc) return error = "--" + name + " needs a value", false;
            value = argv[++i];
        }
        out.options.emplace_back(name, value);
    }
    // Check the options once here, so a bad one is a usage error rather than a failure of every script.
    drill::DrillOptions check;
    for (const auto& [name, value] : out.options) {
        std::optional<std::string_view> v;
        if (value) v = *value;
        if (auto r = drill::apply_option(check, name, v); !r) return error = r.error(), false;
    }
    out.dry_run = check.dry_run;
    out.verbose = check.verbose;
    if (out.files.empty()) return error = "no script given", false;
    return true;
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

ScriptResult run_one(const std::string& path, const Arguments& args, drill::Backend* backend) {
    const std::optional<std::string> text = read_file(path);
    if (!text) return ScriptResult{ScriptResult::Status::kFailed, 0, "cannot read the script", {}};
    drill::DrillOptions base;
    for (const auto& [name, value] : args.options) {
        if (name == "D" || name == "define") {
            std::optional<std::string_view> v;
            if (value) v = *value;
            (void)drill::apply_option(base, name, v);
        }
    }
    auto script = drill::parse_script(*text, path, base.defines);
    if (!script) return ScriptResult{ScriptResult::Status::kFailed, script.error().line, script.error().message, {}};
    auto options = drill::options_for_script(*script, args.options);
    if (!options) return ScriptResult{ScriptResult::Status::kFailed, 0, options.error(), {}};
    auto network = drill::network_settings(*options);
    if (!network) return ScriptResult{ScriptResult::Status::kFailed, 0, network.error(), {}};
    if (options->dry_run || backend == nullptr) return ScriptResult{};
    return drill::run_script(*script, *options, *network, *backend, options->verbose ? stdout : nullptr);
}

std::string where(const std::string& path, int line) { return line > 0 ? path + ":" + std::to_string(line) : path; }

}  // namespace

int drill_main(int argc, char** argv) {
    // A write on a reset kernel socket must fail with EPIPE, not end the run (packetdrill ignores SIGPIPE too).
    std::signal(SIGPIPE, SIG_IGN);
    Arguments args;
    std::string error;
    if (!parse_arguments(argc, argv, args, error)) {
        std::fprintf(stderr, "synack drill: %s\n%s", error.c_str(), kUsage.data());
        return 2;
    }

    std::unique_ptr<drill::Backend> backend;
    std::string cannot_run;  // why every script is skipped
    if (!args.dry_run) {
        if (args.stack == "synack") {
            backend = std::make_unique<drill::SynackBackend>();
        } else if (geteuid() != 0) {
            cannot_run = "the linux backend needs root (network namespaces and a TUN device)";
        } else if (access("/dev/net/tun", R_OK | W_OK) != 0) {
            cannot_run = "the linux backend needs /dev/net/tun";
        } else {
            backend = std::make_unique<drill::LinuxBackend>();
        }
        std::printf("drill: stack under test: %s\n",
                    backend ? backend->description().c_str() : ("linux (" + cannot_run + ")").c_str());
    }

    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (const std::string& path : args.files) {
        const auto started = std::chrono::steady_clock::now();
        ScriptResult r = cannot_run.empty()
                             ? run_one(path, args, backend.get())
                             : ScriptResult{ScriptResult::Status::kSkipped, 0, cannot_run, {}};
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        switch (r.status) {
        case ScriptResult::Status::kPassed:
            ++passed;
            std::printf("PASS %s (%.2f s)\n", path.c_str(), secs);
            break;
        case ScriptResult::Status::kFailed:
            ++failed;
            std::printf("FAIL %s: %s\n", where(path, r.line).c_str(), r.message.c_str());
            break;
        case ScriptResult::Status::kSkipped:
            ++skipped;
            std::printf("SKIP %s: %s\n", where(path, r.line).c_str(), r.message.c_str());
            break;
        }
        for (const std::string& d : r.details) std::printf("  %s\n", d.c_str());
        std::fflush(stdout);
    }
    std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    if (failed > 0) return 1;
    if (passed == 0 && skipped > 0) return 77;
    return 0;
}

}  // namespace synack::tools
