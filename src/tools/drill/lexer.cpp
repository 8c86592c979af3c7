#include "tools/drill/lexer.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace synack::drill {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_word_char(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
// flex's whitespace rule is [ \t\n]; '\r' (CRLF scripts) and the other blanks are taken as whitespace too.
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// lexer.l's reserved words, each its own token in packetdrill (so never a WORD, never replaced by -D).
constexpr std::string_view kKeywords[] = {
    "sa_family", "sin_port", "sin_addr", "msg_name", "msg_iov", "msg_flags", "msg_control", "cmsg_data",
    "cmsg_level", "cmsg_type", "ee_errno", "ee_origin", "ee_type", "ee_code", "ee_info", "ee_data", "scm_sec",
    "scm_nsec", "fd", "u32", "u64", "ptr", "events", "revents", "onoff", "linger", "htons", "ipv4", "ipv6", "icmp",
    "udp", "GREv0", "gre", "raw", "sum", "off", "key", "seq", "none", "checksum", "present", "mpls", "label", "tc",
    "ttl", "inet_addr", "inet6_addr", "ack", "eol", "ecr", "mss", "mtu", "nop", "sack", "sackOK", "md5", "TS", "FO",
    "FOEXP", "tos", "flowlabel", "flags", "Flags", "val", "win", "urg", "wscale", "ect01", "ect0", "ect1", "noecn",
    "ce", "id", "mut", "trun", "ins", "ip", "tcp",
};

// Resolves the C escapes of a string's text: \n \t \r \0 \\ \" \' \a \b \f \v, \xHH and octal \NNN; an unknown
// escape stands for the character itself.
std::string resolve_escapes(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
            out.push_back(c);
            continue;
        }
        char e = raw[++i];
        switch (e) {
            case 'n': out.push_back('\n'); break;
            case 't': out.push_back('\t'); break;
            case 'r': out.push_back('\r'); break;
            case 'a': out.push_back('\a'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            case 'v': out.push_back('\v'); break;
            case 'x': {
                unsigned value = 0;
                int digits = 0;
                while (digits < 2 && i + 1 < raw.size() && is_hex_digit(raw[i + 1])) {
                    char h = raw[++i];
                    value = value * 16 + static_cast<unsigned>(is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
                    ++digits;
                }
                out.push_back(digits == 0 ? 'x' : static_cast<char>(value));
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    unsigned value = static_cast<unsigned>(e - '0');
                    for (int digits = 1; digits < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7';
                         ++digits) {
                        value = value * 8 + static_cast<unsigned>(raw[++i] - '0');
                    }
                    out.push_back(static_cast<char>(value & 0xff));
                } else {
                    out.push_back(e);  // \\ \" \' and unknown escapes
                }
        }
    }
    return out;
}

}  // namespace

bool Lexer::is_keyword(std::string_view word) {
    return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

void Lexer::advance(std::size_t n) {
    for (std::size_t i = 0; i < n && state_.pos < text_.size(); ++i) {
        if (text_[state_.pos] == '\n') {
            ++state_.line;
        }
        ++state_.pos;
    }
}

std::optional<std::string> Lexer::skip_blanks_and_comments() {
    while (state_.pos < text_.size()) {
        char c = text_[state_.pos];
        if (is_blank(c)) {
            advance(1);
        } else if (c == '/' && at(state_.pos + 1) == '/') {
            // lexer.l's cpp_comment needs the '\n'; a comment on the last line without one is accepted too.
            std::size_t end = text_.find('\n', state_.pos);
            advance((end == std::string_view::npos ? text_.size() : end) - state_.pos);
        } else if (c == '/' && at(state_.pos + 1) == '*') {
            std::size_t end = text_.find("*/", state_.pos + 2);
            if (end == std::string_view::npos) {
                return std::string("unterminated /* comment");
            }
            advance(end + 2 - state_.pos);
        } else {
            break;
        }
    }
    return std::nullopt;
}

const Token& Lexer::peek() {
    if (!peeked_) {
        before_peek_ = state_;
        peeked_ = lex();
    }
    return *peeked_;
}

Token Lexer::next() {
    peek();
    Token token = std::move(*peeked_);
    peeked_.reset();
    last_line_ = state_.line;  // state_ stands right after the token just consumed
    return token;
}

void Lexer::unpeek() {
    if (peeked_) {
        state_ = before_peek_;
        peeked_.reset();
    }
}

Token Lexer::lex() {
    Token token;
    if (auto error = skip_blanks_and_comments()) {
        token.kind = TokenKind::kError;
        token.line = state_.line;
        token.text = *error;
        state_.pos = text_.size();
        return token;
    }
    token.line = state_.line;
    const std::size_t p = state_.pos;
    if (p >= text_.size()) {
        token.kind = TokenKind::kEnd;
        return token;
    }
    const char c = text_[p];

    if (c == '"' || c == '`') {
        // \"(\\.|[^"])*\"  and  \`(\\.|[^`])*\`
        std::size_t i = p + 1;
        while (i < text_.size() && text_[i] != c) {
            i += (text_[i] == '\\' && i + 1 < text_.size()) ? 2 : 1;
        }
        if (i >= text_.size()) {
            token.kind = TokenKind::kError;
            token.text = c == '"' ? "unterminated string" : "unterminated back-quoted command";
            state_.pos = text_.size();
            return token;
        }
        std::string_view inner = text_.substr(p + 1, i - p - 1);
        token.kind = c == '"' ? TokenKind::kString : TokenKind::kBackQuoted;
        token.text = c == '"' ? resolve_escapes(inner) : std::string(inner);
        advance(i + 1 - p);
        return token;
    }
    if (c == '%' && at(p + 1) == '{') {
        std::size_t end = text_.find("}%", p + 2);
        if (end == std::string_view::npos) {
            token.kind = TokenKind::kError;
            token.text = "unterminated %{ code block";
            state_.pos = text_.size();
            return token;
        }
        std::string_view inner = text_.substr(p + 2, end - p - 2);
        while (!inner.empty() && (inner.front() == ' ' || inner.front() == '\t')) inner.remove_prefix(1);
        while (!inner.empty() && (inner.back() == ' ' || inner.back() == '\t')) inner.remove_suffix(1);
        token.kind = TokenKind::kCode;
        token.text = std::string(inner);
        advance(end + 2 - p);
        return token;
    }

    // The rules that can overlap, by length of their match at p; on a tie the first listed wins (flex's rule).
    auto digits_from = [&](std::size_t i) {
        std::size_t j = i;
        while (j < text_.size() && is_digit(text_[j])) ++j;
        return j - i;
    };
    std::size_t ellipsis = text_.substr(p, 3) == "..." ? 3 : 0;
    std::size_t option = 0;
    if (c == '-' && at(p + 1) == '-') {
        std::size_t j = p + 2;
        while (j < text_.size() && is_word_char(text_[j])) ++j;
        option = j > p + 2 ? j - p : 0;
    }
    std::size_t floating = 0;
    std::size_t integer = 0;
    {
        std::size_t i = p + (c == '-' ? 1 : 0);
        std::size_t int_digits = digits_from(i);
        integer = int_digits > 0 ? i + int_digits - p : 0;
        if (at(i + int_digits) == '.') {
            std::size_t frac = digits_from(i + int_digits + 1);
            floating = frac > 0 ? i + int_digits + 1 + frac - p : 0;
        }
    }
    std::size_t hex = 0;
    if (c == '0' && at(p + 1) == 'x') {
        std::size_t j = p + 2;
        while (j < text_.size() && is_hex_digit(text_[j])) ++j;
        hex = j > p + 2 ? j - p : 0;
    }
    std::size_t word = 0;
    while (p + word < text_.size() && is_word_char(text_[p + word])) ++word;
    std::size_t ipv4 = 0;
    {
        std::size_t i = p;
        bool ok = true;
        for (int part = 0; part < 4 && ok; ++part) {
            std::size_t d = digits_from(i);
            ok = d > 0 && (part == 3 || at(i + d) == '.');
            i += d + (part == 3 ? 0 : 1);
        }
        ipv4 = ok ? i - p : 0;
    }

    const std::array<std::pair<std::size_t, TokenKind>, 7> candidates = {{
        {ellipsis, TokenKind::kEllipsis},
        {option, TokenKind::kOption},
        {floating, TokenKind::kFloat},
        {integer, TokenKind::kInteger},
        {hex, TokenKind::kHexInteger},
        {word, TokenKind::kWord},
        {ipv4, TokenKind::kIpv4Address},
    }};
    std::size_t best = 0;
    TokenKind kind = TokenKind::kPunct;
    for (const auto& [length, candidate] : candidates) {
        if (length > best) {
            best = length;
            kind = candidate;
        }
    }
    if (best == 0) {
        token.kind = TokenKind::kPunct;
        token.text = std::string(1, c);
        advance(1);
        return token;
    }
    token.kind = kind;
    token.text = std::string(text_.substr(kind == TokenKind::kOption ? p + 2 : p, kind == TokenKind::kOption ? best - 2 : best));
    if (kind == TokenKind::kEllipsis) {
        token.text.clear();
    }
    advance(best);
    return kind == TokenKind::kWord ? substitute(std::move(token)) : token;
}

Token Lexer::substitute(Token word) const {
    if (definitions_ == nullptr || is_keyword(word.text)) {
        return word;
    }
    auto it = definitions_->find(word.text);
    if (it == definitions_->end()) {
        return word;
    }
    const std::string& value = it->second;
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '`') && value.back() == value.front()) {
        word.kind = value.front() == '"' ? TokenKind::kString : TokenKind::kBackQuoted;
        std::string_view inner = std::string_view(value).substr(1, value.size() - 2);
        word.text = word.kind == TokenKind::kString ? resolve_escapes(inner) : std::string(inner);
        return word;
    }
    // packetdrill passes the value on as a WORD; a value that is wholly an integer becomes an integer here, so
    // that `-D PORT=8080` also works where the grammar wants a number.
    Lexer inner(value);
    Token first = inner.next();
    if ((first.kind == TokenKind::kInteger || first.kind == TokenKind::kHexInteger) && inner.next().kind == TokenKind::kEnd &&
        first.text == value) {
        word.kind = first.kind;
    }
    word.text = value;
    return word;
}

RawText Lexer::raw_word() {
    unpeek();
    RawText raw;
    if (skip_blanks_and_comments()) {
        raw.line = state_.line;
        return raw;
    }
    raw.line = state_.line;
    std::size_t end = state_.pos;
    while (end < text_.size() && !is_blank(text_[end])) ++end;
    raw.text = std::string(text_.substr(state_.pos, end - state_.pos));
    advance(end - state_.pos);
    return raw;
}

std::optional<RawText> Lexer::raw_option_value() {
    unpeek();
    std::size_t i = state_.pos;
    while (i < text_.size() && is_blank(text_[i])) ++i;
    if (at(i) != '=') {
        return std::nullopt;
    }
    ++i;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
    advance(i - state_.pos);
    RawText raw;
    raw.line = state_.line;
    std::size_t end = state_.pos;
    char quote = '\0';
    while (end < text_.size()) {
        char c = text_[end];
        if (quote != '\0') {
            if (c == '\\' && end + 1 < text_.size()) {
                end += 2;
                continue;
            }
            if (c == quote) quote = '\0';
        } else if (c == '"' || c == '`') {
            quote = c;
        } else if (is_blank(c) || (c == '/' && (at(end + 1) == '/' || at(end + 1) == '*'))) {
            break;
        }
        ++end;
    }
    std::string_view value = text_.substr(state_.pos, end - state_.pos);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"' &&
        value.find('"', 1) == value.size() - 1) {
        raw.text = resolve_escapes(value.substr(1, value.size() - 2));
    } else {
        raw.text = std::string(value);
    }
    advance(end - state_.pos);
    return raw;
}

std::optional<RawText> Lexer::raw_parenthesised() {
    unpeek();
    RawText raw;
    raw.line = state_.line;
    std::size_t end = text_.find(')', state_.pos);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    bool blank = false;
    for (std::size_t i = state_.pos; i < end; ++i) {
        if (is_blank(text_[i])) {
            blank = true;
            continue;
        }
        if (blank && !raw.text.empty()) raw.text.push_back(' ');
        blank = false;
        raw.text.push_back(text_[i]);
    }
    advance(end + 1 - state_.pos);
    return raw;
}

}  // namespace synack::drill
