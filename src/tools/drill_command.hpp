// `synack drill`: packetdrill-language behaviour scripts against synack (virtual time) or the Linux kernel.
#pragma once

namespace synack::tools {

// argv[0] is "drill". Returns the process exit status: 0 when no script failed, 1 when one did, 77 when every
// script was skipped (CTest's skip code), 2 for a usage error.
int drill_main(int argc, char** argv);

}  // namespace synack::tools
