#include "api/sys_result.hpp"

namespace synack::api {

std::string SysResult::to_string() const {
    if (ok()) return std::to_string(value);
    std::string text = "-1 ";
    text += errno_name(error);
    text += " (";
    text += errno_message(error);
    text += ")";
    return text;
}

}  // namespace synack::api
