// JSON text written straight into one string, for the plan's large answers (the matrix and
// the report hold thousands of activities): building a boost::json::value tree for them and
// then serialising it cost more than reading the database. The text is byte for byte what
// boost::json::serialize writes for the same tree: no spaces, members in the order written,
// strings escaped as Boost.JSON escapes them (", \ and control characters; other bytes,
// UTF-8 included, as they are).
//
// The caller writes a well-formed document (keys only inside objects, each Begin matched by
// its End); nothing is checked. Not thread-safe.
#pragma once

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace psea::plan {

class JsonText {
 public:
  explicit JsonText(std::size_t capacity = 0) { out_.reserve(capacity); }

  JsonText& BeginObject() { return Open('{'); }
  JsonText& EndObject() { return Close('}'); }
  JsonText& BeginArray() { return Open('['); }
  JsonText& EndArray() { return Close(']'); }

  // A member's name; the next call writes its value.
  JsonText& Key(std::string_view key) {
    Separate();
    Quote(key);
    out_ += ':';
    first_ = true;
    return *this;
  }

  JsonText& String(std::string_view text) {
    Separate();
    Quote(text);
    return *this;
  }
  JsonText& Int(std::int64_t value) {
    Separate();
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out_.append(digits, result.ptr);
    return *this;
  }
  JsonText& Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonText& Null() {
    Separate();
    out_ += "null";
    return *this;
  }
  // A small value built as a tree (numbers with fractions, rare parts), serialised in place.
  JsonText& Value(const boost::json::value& value) {
    Separate();
    out_ += boost::json::serialize(value);
    return *this;
  }

  std::string Take() { return std::move(out_); }

 private:
  JsonText& Open(char bracket) {
    Separate();
    out_ += bracket;
    first_ = true;
    return *this;
  }
  JsonText& Close(char bracket) {
    out_ += bracket;
    first_ = false;
    return *this;
  }
  // The comma before every value but the first of its object or array.
  void Separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }

  // Bytes that Boost.JSON escapes: control characters, " and \\.
  static constexpr bool NeedsEscape(unsigned char byte) {
    return byte < 0x20 || byte == '"' || byte == '\\';
  }

  void Quote(std::string_view text) {
    out_ += '"';
    std::size_t plain_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (!NeedsEscape(byte)) [[likely]]
        continue;
      out_.append(text.data() + plain_start, i - plain_start);
      plain_start = i + 1;
      out_ += '\\';
      switch (byte) {
        case '"':
          out_ += '"';
          break;
        case '\\':
          out_ += '\\';
          break;
        case '\b':
          out_ += 'b';
          break;
        case '\t':
          out_ += 't';
          break;
        case '\n':
          out_ += 'n';
          break;
        case '\f':
          out_ += 'f';
          break;
        case '\r':
          out_ += 'r';
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          out_ += "u00";
          out_ += kHex[byte >> 4];
          out_ += kHex[byte & 15];
        }
      }
    }
    out_.append(text.data() + plain_start, text.size() - plain_start);
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
};

}  // namespace psea::plan
