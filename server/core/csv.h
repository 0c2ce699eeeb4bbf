// CSV as spreadsheet programs read it (RFC 4180): records end with CRLF, a field that holds a
// comma, a quote, CR or LF is quoted with its quotes doubled. Every CSV psea sends starts with
// the UTF-8 byte order mark, without which Excel (and LibreOffice, when it guesses) shows
// "Ã©" for "é"; CSV readers in code strip it (Python: encoding="utf-8-sig").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace psea::csv {

inline constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// A text field. Text a spreadsheet would run as a formula (starting with = + - @, a tab or a
// CR) gets a leading apostrophe, as OWASP advises for CSV injection; the field is then quoted.
std::string Text(std::string_view text);
// A number, written bare so that spreadsheets read it as a number.
std::string Number(std::int64_t value);

// Builds one CSV document: the byte order mark, then rows.
class Writer {
 public:
  Writer() : out_(kByteOrderMark) {}
  // Appends an already-encoded field (Text or Number) to the current row.
  Writer& Field(std::string encoded);
  Writer& Text(std::string_view text) { return Field(csv::Text(text)); }
  Writer& Number(std::int64_t value) { return Field(csv::Number(value)); }
  Writer& Empty() { return Field(std::string()); }
  // Ends the current row with CRLF.
  Writer& EndRow();
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  bool row_started_ = false;
};

}  // namespace psea::csv
