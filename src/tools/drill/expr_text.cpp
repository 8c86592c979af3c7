#include "tools/drill/expr_text.hpp"

#include <cstdio>

namespace synack::drill {
namespace {

void append_quoted(std::string& out, const std::string& text) {
    out.push_back('"');
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

void append(std::string& out, const Expr& expr, int depth);

void append_items(std::string& out, const Expr& expr, const char* separator, int depth) {
    for (std::size_t i = 0; i < expr.items.size(); ++i) {
        if (i > 0) out += separator;
        if (expr.kind == Expr::Kind::kStruct && i < expr.fields.size() && !expr.fields[i].empty()) {
            out += expr.fields[i];
            out.push_back('=');
        }
        append(out, expr.items[i], depth + 1);
    }
}

void append(std::string& out, const Expr& expr, int depth) {
    if (depth > 200) {  // the parser nests far less; a hand-built AST must not blow the stack either
        out += "...";
        return;
    }
    switch (expr.kind) {
        case Expr::Kind::kInteger: out += std::to_string(expr.integer); break;
        case Expr::Kind::kName: out += expr.text; break;
        case Expr::Kind::kString: append_quoted(out, expr.text); break;
        case Expr::Kind::kEllipsis: out += "..."; break;
        case Expr::Kind::kNull: out += "NULL"; break;
        case Expr::Kind::kList:
            out.push_back('[');
            append_items(out, expr, ", ", depth);
            out.push_back(']');
            break;
        case Expr::Kind::kStruct:
            out.push_back('{');
            append_items(out, expr, ", ", depth);
            out.push_back('}');
            break;
        case Expr::Kind::kOr: append_items(out, expr, "|", depth); break;
        case Expr::Kind::kCall:
            out += expr.text;
            out.push_back('(');
            append_items(out, expr, ", ", depth);
            out.push_back(')');
            break;
    }
}

}  // namespace

std::string expr_to_text(const Expr& expr) {
    std::string out;
    append(out, expr, 0);
    return out;
}

}  // namespace synack::drill
