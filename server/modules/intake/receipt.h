// Receipt codes: what an anonymous reporter keeps to follow their complaint up.
//
// 80 random bits, written in Crockford's base 32 as four groups of four ("7KQ2-M9XD-4TGA-B1ZC"),
// read back forgivingly (case, spaces, dashes, O for 0, I and L for 1). The database keeps two
// things, never the code: a locator (HMAC-SHA256 under the server key, to find the row without
// trying every hash) and an Argon2id hash (so that a stolen database with its server key still
// costs a slow hash per guess of an 80-bit code).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "security/crypto.h"

namespace psea::intake {

constexpr std::size_t kReceiptChars = 16;

// A new code, formatted in groups.
std::string NewReceiptCode();
// The 16 canonical characters, or nullopt when the text cannot be a code.
std::optional<std::string> NormalizeReceiptCode(std::string_view text);
// "7KQ2M9XD4TGAB1ZC" -> "7KQ2-M9XD-4TGA-B1ZC".
std::string FormatReceiptCode(std::string_view canonical);

// The Argon2id cost of receipt hashes: small, because the code is long and random, and every
// public submission pays it.
security::Argon2Cost ReceiptHashCost();
std::string ReceiptLocator(std::string_view server_key, std::string_view canonical);

}  // namespace psea::intake
