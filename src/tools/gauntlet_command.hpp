// `synack gauntlet`: the randomized loss gauntlet (docs/gauntlet.md) — N seeded runs of two stacks moving random
// data both ways over impaired links, each run checked; failures print their seed and a replay command.
#pragma once

namespace synack::tools {

// argv[0] is "gauntlet". Exit status: 0 every run passed, 1 a run failed, 2 a usage error.
int gauntlet_main(int argc, char** argv);

}  // namespace synack::tools
