// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above U+10FFFF.
// One implementation for every module that checks text from outside.
#pragma once

#include <cstddef>
#include <string_view>

namespace psea {

// The length (1-4) of the well-formed sequence starting at text[at], or 0 when there is none
// (a stray continuation byte, a bad lead byte, a sequence cut short or malformed).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t at);

bool IsValidUtf8(std::string_view text);

}  // namespace psea
