// libFuzzer target: arbitrary text as a drill script — the parser, then everything that reads what it produced
// without a backend (options, back-quoted commands, %{ }% blocks, system-call evaluation, inbound packets).
// Seeds: the scripts under tests/drill (scripts/fuzz.sh passes them for the fuzz_drill_* targets).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/drill/call_eval.hpp"
#include "tools/drill/code_block.hpp"
#include "tools/drill/commands.hpp"
#include "tools/drill/options.hpp"
#include "tools/drill/packet_codec.hpp"
#include "tools/drill/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace synack::drill;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto script = parse_script(text, "fuzz.pkt", {{"COOKIE", "0x1234"}});
    if (!script) return 0;
    auto options = options_for_script(*script, {});
    if (!options) return 0;
    auto network = network_settings(*options);
    if (!network) return 0;
    const CallContext context{*network, *options};
    PacketCodec codec(CodecSettings{.network = *network});
    for (const Event& e : script->events) {
        if (const auto* s = std::get_if<SyscallEvent>(&e.body)) {
            if (auto call = build_call(*s, context)) (void)check_outcome(*s, CallOutcome{}, context);
        } else if (const auto* c = std::get_if<CommandEvent>(&e.body)) {
            (void)plan_command(c->text);
        } else if (const auto* code = std::get_if<CodeEvent>(&e.body)) {
            (void)parse_code_block(code->text, *options);
        } else if (const auto* p = std::get_if<PacketEvent>(&e.body)) {
            if (p->direction == Direction::kInbound) (void)codec.build_inbound(*p);
            else (void)codec.expected_text(*p);
        }
    }
    return 0;
}
