// An Expr printed back as script text, for messages: 3, -1, SOL_SOCKET, "reno", ..., [1], {fd=3, events=POLLIN},
// {..., 1000}, O_RDWR|O_NONBLOCK, htons(8080), NULL. Integers print in decimal (the AST does not keep "0x").
#pragma once

#include <string>

#include "tools/drill/script.hpp"

namespace synack::drill {

std::string expr_to_text(const Expr& expr);

}  // namespace synack::drill
