// `synack demo`: two stacks in the simulator, a Redis-style PING and PONG, printed as tcpdump prints it.
#pragma once

namespace synack::tools {

// argv[0] is "demo". Returns the process exit status.
int demo_main(int argc, char** argv);

}  // namespace synack::tools
