// `synack gauntlet`: runs seeds first-seed … first-seed + seeds - 1 (or the one --seed), each a whole scenario
// drawn from the seed (tools/gauntlet/scenario.hpp) and checked (tools/gauntlet/run.hpp). Prints one line per
// failing seed — the reason and the command that replays it with a pcap — and a summary line (or JSON).
#include "tools/gauntlet_command.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tools/gauntlet/run.hpp"
#include "tools/gauntlet/scenario.hpp"

namespace synack::tools {
namespace {

using gauntlet::RunResult;
using gauntlet::Scenario;

struct Options {
    std::optional<std::uint64_t> seed;
    std::uint64_t seeds = 100;
    std::uint64_t first_seed = 1;
    std::uint64_t max_bytes = gauntlet::kDefaultMaxBytes;
    double time_limit_s = 2592000;
    std::string pcap;
    std::string pcap_received;
    bool check_repro = false;
    bool json = false;
    bool verbose = false;
};

// "65536", "64K", "64M", "1G" (powers of 1024).
std::optional<std::uint64_t> parse_size(const std::string& text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t unit = 1;
    std::string digits = text;
    switch (text.back()) {
        case 'K': case 'k': unit = 1024; break;
        case 'M': case 'm': unit = 1024 * 1024; break;
        case 'G': case 'g': unit = 1024 * 1024 * 1024; break;
        default: break;
    }
    if (unit != 1) digits.pop_back();
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 12) {
        return std::nullopt;
    }
    return std::stoull(digits) * unit;
}

std::string size_text(std::uint64_t bytes) {
    if (bytes >= (1ull << 30)) return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1ull << 30));
    if (bytes >= (1ull << 20)) return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1ull << 20));
    if (bytes >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
    return fmt::format("{} B", bytes);
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            out += fmt::format("\\u{:04x}", c);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

// The command that replays one seed with the same settings, writing its packets to a pcap.
std::string replay_command(const Options& o, std::uint64_t seed) {
    std::string cmd = fmt::format("synack gauntlet --seed {}", seed);
    if (o.max_bytes != gauntlet::kDefaultMaxBytes) cmd += fmt::format(" --max-bytes {}", o.max_bytes);
    if (o.time_limit_s != 2592000) cmd += fmt::format(" --time-limit {:g}", o.time_limit_s);
    return cmd + fmt::format(" --pcap /tmp/gauntlet-{}.pcap", seed);
}

struct Failure {
    std::uint64_t seed;
    std::string reason;
};

int run(const Options& o) {
    const std::uint64_t first = o.seed ? *o.seed : o.first_seed;
    const std::uint64_t count = o.seed ? 1 : o.seeds;
    gauntlet::RunOptions run_options;
    run_options.pcap = o.pcap;
    run_options.pcap_received = o.pcap_received;
    run_options.time_limit = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(o.time_limit_s));
    gauntlet::RunOptions repro_options = run_options;
    repro_options.pcap.clear();
    repro_options.pcap_received.clear();

    const auto wall_start = std::chrono::steady_clock::now();
    std::uint64_t passed = 0;
    std::uint64_t gave_up = 0;
    std::uint64_t bytes = 0;
    std::uint64_t packets = 0;
    Duration virtual_time{0};
    std::vector<Failure> failures;
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t seed = first + i;
        const Scenario scenario = gauntlet::draw_scenario(seed, {.max_bytes = o.max_bytes});
        if (o.verbose) {
            std::printf("seed %llu: %s\n", static_cast<unsigned long long>(seed), describe(scenario).c_str());
        }
        RunResult r = gauntlet::run_scenario(scenario, run_options);
        if (o.check_repro) {
            const RunResult again = gauntlet::run_scenario(scenario, repro_options);
            if (again.digest != r.digest || again.passed != r.passed || again.events != r.events) {
                const std::string first_reason = r.passed ? "" : " (first run: " + r.reason + ")";
                r.passed = false;
                r.reason = fmt::format("not reproducible: digests {:016x} and {:016x}, events {} and {}{}", r.digest,
                                       again.digest, r.events, again.events, first_reason);
            }
        }
        bytes += r.bytes_delivered;
        packets += r.packets;
        virtual_time += r.virtual_time;
        if (r.passed) {
            ++passed;
            if (r.outcome != "complete") ++gave_up;
        } else {
            failures.push_back({seed, r.reason});
            if (!o.json) {
                std::printf("FAIL seed %llu: %s; replay: %s\n", static_cast<unsigned long long>(seed), r.reason.c_str(),
                            replay_command(o, seed).c_str());
                std::fflush(stdout);
            }
        }
        if (o.verbose) {
            std::printf("seed %llu: %s, %s, digest %016llx, %llu packets, %llu events, transfer %.3f s, run %.3f s "
                        "virtual\n",
                        static_cast<unsigned long long>(seed), r.passed ? "passed" : "FAILED",
                        r.passed ? r.outcome.c_str() : r.reason.c_str(), static_cast<unsigned long long>(r.digest),
                        static_cast<unsigned long long>(r.packets), static_cast<unsigned long long>(r.events),
                        std::chrono::duration<double>(r.transfer_time).count(),
                        std::chrono::duration<double>(r.virtual_time).count());
            std::printf("seed %llu: link %s\n", static_cast<unsigned long long>(seed), r.link_counters.c_str());
        }
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    const double virtual_s = std::chrono::duration<double>(virtual_time).count();
    const std::uint64_t failed = count - passed;
    if (o.json) {
        std::string f;
        for (const Failure& x : failures) {
            if (!f.empty()) f += ",";
            f += fmt::format("{{\"seed\":{},\"reason\":{},\"replay\":{}}}", x.seed, json_string(x.reason),
                             json_string(replay_command(o, x.seed)));
        }
        std::printf("{\"runs\":%llu,\"passed\":%llu,\"failed\":%llu,\"gave_up\":%llu,\"first_seed\":%llu,"
                    "\"max_bytes\":%llu,\"bytes_moved\":%llu,\"packets\":%llu,\"virtual_seconds\":%.3f,"
                    "\"wall_seconds\":%.3f,\"seeds_per_second\":%.2f,\"check_repro\":%s,\"failures\":[%s]}\n",
                    static_cast<unsigned long long>(count), static_cast<unsigned long long>(passed),
                    static_cast<unsigned long long>(failed), static_cast<unsigned long long>(gave_up),
                    static_cast<unsigned long long>(first), static_cast<unsigned long long>(o.max_bytes),
                    static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(packets), virtual_s, wall,
                    wall > 0 ? static_cast<double>(count) / wall : 0.0, o.check_repro ? "true" : "false", f.c_str());
    } else {
        std::printf("gauntlet: %llu runs (seeds %llu-%llu, max %s each way%s), %llu passed (%llu gave up "
                    "legitimately), %llu failed; %s moved in %llu packets, %.1f s virtual, %.2f s wall "
                    "(%.1f seeds/s)\n",
                    static_cast<unsigned long long>(count), static_cast<unsigned long long>(first),
                    static_cast<unsigned long long>(first + count - 1), size_text(o.max_bytes).c_str(),
                    o.check_repro ? ", each run twice" : "", static_cast<unsigned long long>(passed),
                    static_cast<unsigned long long>(gave_up), static_cast<unsigned long long>(failed),
                    size_text(bytes).c_str(), static_cast<unsigned long long>(packets), virtual_s, wall,
                    wall > 0 ? static_cast<double>(count) / wall : 0.0);
    }
    return failed == 0 ? 0 : 1;
}

}  // namespace

int gauntlet_main(int argc, char** argv) {
    CLI::App app{"The randomized loss gauntlet: seeded runs of two simulated stacks sending random data both ways at "
                 "once over links with random loss, duplication, reordering, corruption, jitter, bandwidth and MTU; "
                 "every byte checked, every stack empty afterwards (docs/gauntlet.md).",
                 "synack gauntlet"};
    Options o;
    std::uint64_t seed = 0;
    std::string max_bytes = "64M";
    app.add_option("--seed", seed, "Run this one seed (and print its scenario and result)")->type_name("S");
    app.add_option("--seeds", o.seeds, "How many seeds to run")->capture_default_str()->type_name("N");
    app.add_option("--first-seed", o.first_seed, "The first seed")->capture_default_str()->type_name("S");
    app.add_option("--max-bytes", max_bytes, "The most bytes each side sends (64M, 256K, 1000000)")
        ->capture_default_str()
        ->type_name("SIZE");
    app.add_option("--time-limit", o.time_limit_s, "Virtual seconds a transfer may take before it counts as failed")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS");
    app.add_option("--pcap", o.pcap, "With --seed: write every packet offered to the link to FILE")->type_name("FILE");
    app.add_option("--pcap-received", o.pcap_received,
                   "With --seed: write every copy as delivered (duplicates, corruption, reordering) to FILE")
        ->type_name("FILE");
    app.add_flag("--check-repro", o.check_repro, "Run every seed twice and require identical packet digests");
    app.add_flag("--json", o.json, "Print the summary (and failures) as one JSON object");
    app.add_flag("-v,--verbose", o.verbose, "Print every run's scenario and result");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int status = app.exit(e);
        return status == 0 ? 0 : 2;
    }
    const std::optional<std::uint64_t> size = parse_size(max_bytes);
    if (!size) {
        std::fprintf(stderr, "synack gauntlet: --max-bytes: not a size: %s\n", max_bytes.c_str());
        return 2;
    }
    o.max_bytes = *size;
    if (app.count("--seed") != 0) {
        o.seed = seed;
        o.verbose = true;
    } else if (!o.pcap.empty() || !o.pcap_received.empty()) {
        std::fprintf(stderr, "synack gauntlet: --pcap and --pcap-received need --seed (one run)\n");
        return 2;
    }
    if (o.seeds == 0) {
        std::fprintf(stderr, "synack gauntlet: --seeds must be at least 1\n");
        return 2;
    }
    return run(o);
}

}  // namespace synack::tools
