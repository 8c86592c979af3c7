// `synack dump`: the tcpdump-compatible capture reader.
#pragma once

namespace synack::tools {

// argv[0] is "dump". Returns the process exit status.
int dump_main(int argc, char** argv);

}  // namespace synack::tools
