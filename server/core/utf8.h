// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above U+10FFFF.
// One implementation for every module that checks text from outside.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace psea {

// The length (1-4) of the well-formed sequence starting at text[at], or 0 when there is none
// (a stray continuation byte, a bad lead byte, a sequence cut short or malformed).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t at);

bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of a code point; one that is not a Unicode scalar value (a
// surrogate, above U+10FFFF) becomes U+FFFD.
void AppendUtf8(std::string& out, char32_t code_point);

// Text made safe inside HTML or XML content and quoted attributes: & < > " ' escaped.
std::string EscapeMarkup(std::string_view text);

}  // namespace psea
