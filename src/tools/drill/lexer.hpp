// The tokens of packetdrill's script language, cut the way packetdrill's flex scanner cuts them
// (google/packetdrill gtests/net/packetdrill/lexer.l): the longest match wins, and on a tie the earlier rule
// (ellipsis, --option, float, integer, hex integer, word, string, back-quoted command, one character, ...).
//
// Two pieces of a script are not token-shaped and the parser reads them raw through this lexer: the TCP flags
// word of a packet line ("S.", "FP.", "SEW", "-") and the value of an option line ("--ip_version=ipv4").
//
// -D definitions are applied here, as packetdrill's word() does: a WORD that is not a keyword of the language
// and names a definition is replaced by the definition's value — `"text"` becomes a string token, `` `cmd` `` a
// back-quoted command, anything else a word (or, an addition of synack's, an integer when the value is one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace synack::drill {

enum class TokenKind : std::uint8_t {
    kEnd,          // end of the script
    kError,        // text: what is wrong (an unterminated string, comment, command or code block)
    kWord,         // text: the word ([A-Za-z0-9_]+, not a number)
    kInteger,      // text: as written, "-" and digits
    kHexInteger,   // text: as written, "0x..."
    kFloat,        // text: as written, "0.100", ".1", "-1.5"
    kString,       // text: between the double quotes, escapes resolved
    kBackQuoted,   // text: between the back quotes, as written
    kCode,         // text: between %{ and }%, spaces and tabs at both ends removed
    kOption,       // text: the name after "--"
    kEllipsis,     // "..."
    kIpv4Address,  // text: "a.b.c.d"
    kPunct,        // text: the one character ('<', '>', '+', '*', '~', '[', ...)
};

struct Token {
    TokenKind kind = TokenKind::kEnd;
    std::string text;
    int line = 1;  // 1-based line where the token starts
    bool is(char c) const { return kind == TokenKind::kPunct && text.size() == 1 && text[0] == c; }
    bool is_word(std::string_view w) const { return kind == TokenKind::kWord && text == w; }
};

// A raw piece of text read by the parser outside the token rules.
struct RawText {
    std::string text;
    int line = 1;
};

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    // The next token, not consumed.
    const Token& peek();
    // The next token, consumed.
    Token next();
    // The line where the last consumed token ends (1 before any).
    int last_line() const { return last_line_; }

    // From now on, replace words that name a definition (see the top of this file).
    // A token already peeked is cut again under the new definitions.
    void set_definitions(const std::map<std::string, std::string>* definitions) {
        unpeek();
        definitions_ = definitions;
    }

    // Skips blanks and comments, then returns the longest run of characters up to the next blank (the TCP flags).
    RawText raw_word();
    // After an option's name: "=value" (blanks around '=' allowed on the same line) → the value as written, with
    // the quotes of a whole "quoted value" removed; std::nullopt when no '=' follows. A value runs to a blank or a
    // comment; quotes and back quotes inside it may hold blanks.
    std::optional<RawText> raw_option_value();
    // After a '(' (consumed): the text up to the matching ')' (consumed), blanks collapsed; nullopt at the end.
    std::optional<RawText> raw_parenthesised();

    // True when a packetdrill keyword (lexer.l's reserved words: ack, win, mss, ...): never replaced by -D.
    static bool is_keyword(std::string_view word);

private:
    struct State {
        std::size_t pos = 0;
        int line = 1;
    };

    Token lex();
    void unpeek();
    // Skips blanks and comments; returns an error message for an unterminated /* comment.
    std::optional<std::string> skip_blanks_and_comments();
    void advance(std::size_t n);
    char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
    Token substitute(Token word) const;

    std::string_view text_;
    State state_;
    State before_peek_;
    std::optional<Token> peeked_;
    int last_line_ = 1;
    const std::map<std::string, std::string>* definitions_ = nullptr;
};

}  // namespace synack::drill
