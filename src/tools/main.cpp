// The `synack` command line: one binary, one subcommand per tool.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
        std::puts("usage: synack <command> [options]\n\ncommands:\n  dump    print a capture like tcpdump");
        return argc < 2 ? 2 : 0;
    }
    std::fprintf(stderr, "synack: unknown command '%s'\n", argv[1]);
    return 2;
}
