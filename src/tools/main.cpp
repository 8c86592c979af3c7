// The `synack` command line: one binary, one subcommand per tool.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "tools/demo_command.hpp"
#include "tools/drill_command.hpp"
#include "tools/dump_command.hpp"
#include "tools/gauntlet_command.hpp"

namespace {

struct Command {
    std::string_view name;
    int (*run)(int argc, char** argv);
    std::string_view summary;
};

constexpr Command kCommands[] = {
    {"dump", synack::tools::dump_main, "print a capture exactly as tcpdump prints it"},
    {"drill", synack::tools::drill_main, "run packetdrill scripts against synack or the Linux kernel"},
    {"demo", synack::tools::demo_main, "two simulated hosts: a Redis PING/PONG, printed as tcpdump, with TCP states"},
    {"gauntlet", synack::tools::gauntlet_main, "seeded runs moving random data both ways over impaired links, all checked"},
};

void usage(std::FILE* f) {
    std::fputs("usage: synack <command> [options]\n\ncommands:\n", f);
    for (const Command& c : kCommands) {
        std::fprintf(f, "  %-10.*s%.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                     static_cast<int>(c.summary.size()), c.summary.data());
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(stdout);
        return 0;
    }
    for (const Command& c : kCommands) {
        if (c.name == name) return c.run(argc - 1, argv + 1);
    }
    std::fprintf(stderr, "synack: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
