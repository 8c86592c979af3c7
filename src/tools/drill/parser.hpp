// The parser of packetdrill's script language (google/packetdrill gtests/net/packetdrill/parser.y): the text of a
// .pkt file → a Script (tools/drill/script.hpp). It checks what packetdrill's grammar and its semantic checks
// reject (flags outside ".FSRPEWAU0-7", start:end(len) that do not add up, values out of range, `*` and time
// ranges on anything but an outbound packet, a window missing on an inbound packet, an option list that does not
// pad the TCP header to 4 bytes), and names the line and what was expected.
//
// -D definitions (packetdrill's `-D NAME=value` / `--define=NAME=value`): packetdrill's lexer replaces every word
// that is not a keyword of the language and names a definition by its value ("..." → a string, `...` → a
// command, otherwise a word). The same happens here, for the events of the script: definitions written in the
// script's own option lines (`--define=NAME=value`) first, then those given here, which override them, as
// packetdrill's command line overrides the script. Option lines themselves are not substituted (packetdrill reads
// them before it has any definition). Definitions do not reach back-quoted commands' environment: packetdrill
// runs them with system() as written.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "tools/drill/script.hpp"
#include "wire/result.hpp"

namespace synack::drill {

using Definitions = std::map<std::string, std::string>;  // -D NAME=value

// Never throws; never reads outside `text`. `path` only names the script in the result and in failures.
Result<Script, ParseFailure> parse_script(std::string_view text, std::string path, const Definitions& defines = {});

}  // namespace synack::drill
